import { WebhookDeliverV1, createEnvelope } from "@userstream/contracts";
import type { Publisher } from "@userstream/messaging";
import type { PinoLogger as Logger } from "@userstream/runtime";
import type pg from "pg";
import { relayPending } from "./webhook-deliveries";

/** Deliveries published per transaction; the relay goes on at once while it finds a full batch. */
const BATCH = 200;

/**
 * The outbox relay: every `intervalMs`, publishes `webhook.deliver` for the deliveries recorded
 * `pending` (by an event's own transaction, or an admin's replay), confirmed by the broker before
 * they are marked `queued`. The database or the broker being away only delays them: the next tick
 * tries again. Each sender runs one; their transactions never take the same rows.
 */
export function startWebhookRelay(options: { pool: pg.Pool; publisher: Publisher; logger: Logger; intervalMs: number }) {
  const { pool, publisher, logger, intervalMs } = options;
  const publish = (ids: string[]) =>
    Promise.all(
      ids.map((deliveryId) => publisher.publish(WebhookDeliverV1, createEnvelope(WebhookDeliverV1, { deliveryId }))),
    ).then(() => undefined);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let failing = false;

  async function tick() {
    try {
      while (!stopping && (await relayPending(pool, BATCH, publish)) === BATCH);
      if (failing) logger.info("webhook relay working again");
      failing = false;
    } catch (err) {
      // Logged once per outage, not at every tick.
      if (!failing) logger.warn({ err }, "webhook relay could not publish pending deliveries; trying again");
      failing = true;
    }
    if (!stopping) timer = setTimeout(() => (running = tick()), intervalMs);
  }
  running = tick();

  return {
    /** Stops the ticks and waits for the one under way. */
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
