import { Resend } from "resend";
import { EmailDeliveryError, type EmailProvider, type Mailbox, type OutgoingEmail } from "./email-provider";

/** Resend's API takes mailboxes as strings: quote the display name (names never hold quotes). */
function mailbox({ name, address }: Mailbox): string {
  return name ? `"${name}" <${address}>` : address;
}

function retryAfterMs(headers: Record<string, string> | null): number | undefined {
  const value = headers?.["retry-after"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Sends through the Resend API, with an idempotency key so a repeated request sends nothing twice. */
export function createResendProvider(options: { apiKey: string; baseUrl: string }): EmailProvider {
  const resend = new Resend(options.apiKey, { baseUrl: options.baseUrl });
  return {
    name: "resend",
    async send(email: OutgoingEmail) {
      const { data, error, headers } = await resend.emails.send(
        { from: mailbox(email.from), to: [mailbox(email.to)], subject: email.subject, text: email.text, html: email.html },
        { idempotencyKey: email.idempotencyKey },
      );
      if (data) return { providerMessageId: data.id };
      const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
      // No status: the request never got an answer. 429 and 5xx: the service asks us to come back.
      const temporary = status === null || status === 429 || status >= 500;
      throw new EmailDeliveryError(`Resend ${status ?? "unreachable"}: ${error?.message ?? "no answer"}`, {
        temporary,
        retryAfterMs: retryAfterMs(headers),
      });
    },
    async check() {
      try {
        // Any HTTP answer means the API is reachable; the key is checked by the first send.
        await fetch(options.baseUrl, { method: "HEAD", signal: AbortSignal.timeout(2_000) });
        return true;
      } catch {
        return false;
      }
    },
    async close() {},
  };
}
