import "server-only";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { env } from "~/env";

// Kept on globalThis so that dev-mode hot reloads reuse one broker connection.
const globalForPublisher = globalThis as unknown as { userstreamPublisher?: Publisher };

const consoleLogger = {
  info: (obj: object, msg?: string) => console.info(JSON.stringify({ level: "info", msg, ...serialise(obj) })),
  warn: (obj: object, msg?: string) => console.warn(JSON.stringify({ level: "warn", msg, ...serialise(obj) })),
  error: (obj: object, msg?: string) => console.error(JSON.stringify({ level: "error", msg, ...serialise(obj) })),
};

function serialise(obj: object): object {
  const { err, ...rest } = obj as { err?: unknown };
  return err instanceof Error ? { ...rest, err: { name: err.name, message: err.message } } : obj;
}

/**
 * The app's one publisher. It connects lazily on the first publish and reconnects on the next
 * publish after the broker went away, so creating it never touches the network.
 */
export function getPublisher(): Publisher {
  globalForPublisher.userstreamPublisher ??= createPublisher(env.AMQP_URL, {
    confirmTimeoutMs: env.PUBLISH_CONFIRM_TIMEOUT_MS,
    logger: consoleLogger,
  });
  return globalForPublisher.userstreamPublisher;
}

/** Refuses new publishes, waits for those under way, then closes (the shutdown's first step). */
export async function closePublisher(): Promise<void> {
  await globalForPublisher.userstreamPublisher?.close();
}
