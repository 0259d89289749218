/**
 * `pnpm --filter @userstream/workers replay-dead-letters <queue> [--limit N]`: moves parked messages
 * from `<queue>.dead` back into `<queue>` once the cause is fixed (docs/operations.md).
 */
import { QUEUES, type QueueName } from "@userstream/contracts";
import { createPublisher } from "@userstream/messaging";
import { z } from "zod";
import { loadEnv, loadEnvFiles } from "@userstream/runtime";
import { workerEnv } from "../lib/worker-env";

const ArgsSchema = z
  .tuple([
    z.enum(Object.values(QUEUES) as [QueueName, ...QueueName[]], {
      error: `the queue: one of ${Object.values(QUEUES).join(", ")}`,
    }),
  ])
  .rest(z.string());

/** Parses `<queue> [--limit N]`; throws a usage message on anything else. */
export function parseReplayArgs(argv: string[]): { queue: QueueName; limit?: number } {
  const usage = `usage: replay-dead-letters <${Object.values(QUEUES).join("|")}> [--limit N]`;
  const parsed = ArgsSchema.safeParse(argv);
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.message}\n${usage}`);
  const [queue, ...rest] = parsed.data;
  if (rest.length === 0) return { queue };
  const limit = Number(rest[1]);
  if (rest.length !== 2 || rest[0] !== "--limit" || !Number.isInteger(limit) || limit < 1) {
    throw new Error(`--limit takes a whole number of messages, at least 1\n${usage}`);
  }
  return { queue, limit };
}

async function main() {
  const { queue, limit } = parseReplayArgs(process.argv.slice(2));
  const env = loadEnv({ AMQP_URL: workerEnv.AMQP_URL });
  const publisher = createPublisher(env.AMQP_URL);
  try {
    // The oldest first, up to the limit; each moved with a confirm, then removed from the parking queue.
    let chosen = 0;
    const moved = await publisher.replayParked(queue, () => chosen++ < (limit ?? Number.POSITIVE_INFINITY));
    console.log(`Moved ${moved.length} message${moved.length === 1 ? "" : "s"} from ${queue}.dead back to ${queue}.`);
  } finally {
    await publisher.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadEnvFiles();
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
