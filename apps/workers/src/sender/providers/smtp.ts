import tls from "node:tls";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { ConfigurationError } from "@userstream/runtime";
import { EmailDeliveryError, type EmailProvider, type OutgoingEmail } from "./email-provider";
import { smtpSecurity } from "./smtp-security";

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
  command?: string;
  response?: string;
}

/** How long the start-time probe of the relay may hold the start; past it, /readyz reports the relay. */
const START_PROBE_MS = 5_000;

function classify(err: SmtpError): EmailDeliveryError {
  const code = err.responseCode;
  // No reply code: the connection failed, timed out or dropped; trying again may work.
  const temporary = code === undefined || (code >= 400 && code < 500);
  // A 5xx to the recipient or the message is the receiving side's final no; one to the sender's own
  // commands (MAIL FROM, AUTH) says nothing about the address.
  const bounced = !temporary && (err.command === "RCPT TO" || err.command === "DATA");
  const text = `${err.message}${err.response && !err.message.includes(err.response) ? `: ${err.response}` : ""}`;
  return new EmailDeliveryError(code ? `SMTP ${code}: ${text}` : `SMTP: ${text}`, { temporary, bounced, cause: err });
}

/** Sends through an SMTP server with a pool of reused connections (nodemailer). */
export function createSmtpProvider(options: {
  url: string;
  poolSize: number;
  rejectUnauthorized: boolean;
  /** Trusted in addition to the system's CAs: a private CA's PEM certificates. */
  ca?: string;
  timeoutMs: number;
  /** SMTP_ALLOW_PLAINTEXT: a trusted relay on another machine may be spoken to without STARTTLS. */
  allowPlaintext?: boolean;
}): EmailProvider {
  const security = smtpSecurity(options.url, options.allowPlaintext ?? false);
  // nodemailer reads host, port, TLS mode (smtps:) and credentials from `url`.
  const transport = nodemailer.createTransport({
    url: options.url,
    requireTLS: security === "starttls-required",
    pool: true,
    maxConnections: options.poolSize,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    tls: { rejectUnauthorized: options.rejectUnauthorized, ...(options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {}) },
  } as SMTPPool.Options & { url: string });
  const domain = (address: string) => address.split("@")[1] ?? "userstream.local";

  return {
    name: "smtp",
    async start() {
      if (security !== "starttls-required") return;
      // A relay that refuses STARTTLS will never get an email from us: a configuration error,
      // reported at start. Any other failure (down, slow) is a passing state /readyz reports.
      const refusal = await Promise.race([
        transport.verify().then(
          () => undefined,
          (err: SmtpError) => (err.code === "ETLS" && err.command === "STARTTLS" && err.response ? err : undefined),
        ),
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), Math.min(START_PROBE_MS, options.timeoutMs)).unref(),
        ),
      ]);
      if (refusal) {
        const host = new URL(options.url).host;
        throw new ConfigurationError(
          `Invalid environment variables:\n  SMTP_URL: the relay at ${host} does not offer STARTTLS (it answered "${refusal.response}"), ` +
            "and smtp:// to another machine requires it: use smtps://, a relay with STARTTLS, or SMTP_ALLOW_PLAINTEXT=true for a trusted local relay",
        );
      }
    },
    async send(email: OutgoingEmail) {
      try {
        const info = await transport.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          // The same Message-ID on every attempt, so a receiving system can recognise a repeat.
          messageId: `<${email.idempotencyKey.replaceAll("/", ".")}@${domain(email.from.address)}>`,
        });
        return { providerMessageId: info.messageId };
      } catch (err) {
        throw classify(err as SmtpError);
      }
    },
    async check() {
      return transport.verify().then(
        () => true,
        () => false,
      );
    },
    async close() {
      transport.close();
    },
  };
}
