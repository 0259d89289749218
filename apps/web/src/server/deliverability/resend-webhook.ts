import { ResendWebhookEventSchema, notificationEventTypeOf } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { Logger } from "@userstream/runtime";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

export interface ResendWebhookDeps {
  db: Pick<PrismaClient, "$queryRaw">;
  /** RESEND_WEBHOOK_SECRET (`whsec_…`); undefined: webhooks are not configured here. */
  secret: string | undefined;
  /** SUPPRESS_AFTER_SOFT_BOUNCES; null: soft bounces never suppress. */
  softBounceLimit: number | null;
  logger?: Pick<Logger, "info" | "warn">;
}

/** What `POST /api/webhooks/resend` answers: a status and a small JSON body. */
export interface WebhookAnswer {
  status: 200 | 400 | 401 | 503;
  body: { message: string; outcome?: "recorded" | "suppressed" | "duplicate" | "unmatched" | "ignored" };
}

export const WEBHOOK_NOT_CONFIGURED_MESSAGE = "Resend webhooks are not configured here: set RESEND_WEBHOOK_SECRET";
export const INVALID_SIGNATURE_MESSAGE = "The webhook's signature is missing, wrong or too old";

/**
 * The signed content is checked with `standardwebhooks`, the verifier Resend's own SDK uses (Resend
 * signs through Svix, whose `svix-*` headers are Standard Webhooks' `webhook-*`): an HMAC-SHA256 of
 * `id.timestamp.body` with the secret, and a timestamp within 5 minutes of now, so a captured
 * request cannot be replayed later.
 */
function verify(secret: string, payload: string, headers: Headers): boolean {
  try {
    new Webhook(secret).verify(
      payload,
      {
        "webhook-id": headers.get("svix-id") ?? "",
        "webhook-timestamp": headers.get("svix-timestamp") ?? "",
        "webhook-signature": headers.get("svix-signature") ?? "",
      },
      { jsonParse: false },
    );
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

/** The provider's own words about what happened, for the timeline. */
function detailOf(data: {
  bounce?: { message?: string; subType?: string };
  failed?: { reason: string };
  suppressed?: { message?: string };
}) {
  if (data.bounce) return [data.bounce.subType, data.bounce.message].filter(Boolean).join(": ") || null;
  return data.failed?.reason ?? data.suppressed?.message ?? null;
}

/**
 * Handles one Resend webhook request: refuses (401) a bad or stale signature and records nothing;
 * records an email event once, keyed on its `svix-id` (a repeat is answered 200 and ignored); acks
 * event types that are not kept. The recording is one statement (record_notification_event, shared
 * with the sender): the event, the email's status moved forward, and a suppression when due.
 */
export async function receiveResendWebhook(payload: string, headers: Headers, deps: ResendWebhookDeps): Promise<WebhookAnswer> {
  if (!deps.secret) return { status: 503, body: { message: WEBHOOK_NOT_CONFIGURED_MESSAGE } };
  if (!verify(deps.secret, payload, headers)) {
    deps.logger?.warn({ svixId: headers.get("svix-id") }, "resend webhook refused: bad signature");
    return { status: 401, body: { message: INVALID_SIGNATURE_MESSAGE } };
  }
  const eventId = headers.get("svix-id") ?? "";
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    return { status: 400, body: { message: "The body is not JSON" } };
  }
  const type = notificationEventTypeOf(String((event as { type?: unknown } | null)?.type ?? ""));
  if (!type) return { status: 200, body: { message: "Event type not kept", outcome: "ignored" } };
  const parsed = ResendWebhookEventSchema.safeParse(event);
  if (!parsed.success)
    return { status: 400, body: { message: `Not a Resend email event: ${parsed.error.issues[0]?.message ?? "invalid"}` } };

  const { data, created_at: createdAt } = parsed.data;
  const permanent = type === "bounced" ? data.bounce?.type === "Permanent" : null;
  const [row] = await deps.db.$queryRaw<{ outcome: NonNullable<WebhookAnswer["body"]["outcome"]> }[]>`
    SELECT record_notification_event(
      'resend', ${eventId}::text, ${data.email_id}::text, NULL, ${type}::notification_event_type, ${permanent}::boolean,
      ${detailOf(data)}::text, ${new Date(createdAt)}::timestamptz, ${data.to[0] ?? null}::text, ${deps.softBounceLimit}::integer
    ) AS outcome`;
  const outcome = row?.outcome ?? "recorded";
  deps.logger?.info({ svixId: eventId, type, providerMessageId: data.email_id, outcome }, "resend webhook received");
  return { status: 200, body: { message: "Received", outcome } };
}
