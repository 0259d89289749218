import "server-only";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { env } from "~/env";
import { getLogger } from "./logger";
import { getWebMetrics } from "./metrics";

// Kept on globalThis so that dev-mode hot reloads reuse one broker connection.
const globalForPublisher = globalThis as unknown as { userstreamPublisher?: Publisher };

/**
 * The app's one publisher. It connects lazily on the first publish and reconnects on the next
 * publish after the broker went away, so creating it never touches the network.
 */
export function getPublisher(): Publisher {
  globalForPublisher.userstreamPublisher ??= createPublisher(env.AMQP_URL, {
    confirmTimeoutMs: env.PUBLISH_CONFIRM_TIMEOUT_MS,
    logger: getLogger(),
    retryDelaysMs: env.RETRY_DELAYS_MS,
    onConfirm: ({ queue, seconds, confirmed }) => {
      getWebMetrics().publishConfirm.observe({ queue, result: confirmed ? "confirmed" : "failed" }, seconds);
    },
  });
  return globalForPublisher.userstreamPublisher;
}

/** Refuses new publishes, waits for those under way, then closes (the shutdown's first step). */
export async function closePublisher(): Promise<void> {
  await globalForPublisher.userstreamPublisher?.close();
}
