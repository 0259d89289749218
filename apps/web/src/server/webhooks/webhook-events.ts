import type { WEBHOOK_EVENT_DATA, WebhookEventType } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { z } from "zod";

/** Anything that can run a raw statement: the client, or a transaction's client. */
type Executor = Pick<PrismaClient, "$executeRaw">;

/**
 * Records a webhook event about a user for every enabled endpoint subscribed to it (the database's
 * emit_webhook_event: one pending delivery each), to be run in the transaction of the change it
 * reports, so that the event is recorded exactly when the change is committed. The sender's relay
 * publishes the deliveries. Resolves with the number of deliveries made.
 */
export function emitUserEvent<Type extends WebhookEventType>(
  db: Executor,
  type: Type,
  userId: string,
  data: z.input<(typeof WEBHOOK_EVENT_DATA)[Type]>,
) {
  return db.$executeRaw`SELECT emit_webhook_event(${type}, ${userId}::uuid, ${JSON.stringify(data)}::jsonb)`;
}
