import { QUEUES, queueTopology, type RetryPolicy, type TopologyQueue } from "@userstream/contracts";
import { connectToBroker } from "@userstream/messaging";
import { parseBrokerUrls } from "@userstream/messaging/broker-urls";

/** One queue as the pipeline view shows it. Rates are messages per second; null where unknown. */
export interface QueueStats extends TopologyQueue {
  /** Messages waiting (ready + unacknowledged); null when the queue does not exist yet. */
  messages: number | null;
  consumers: number | null;
  inRate: number | null;
  outRate: number | null;
}

/** Where the numbers came from: the management API (with rates), AMQP passive declares (no rates), or nowhere. */
export type QueueStatsSource = "management" | "amqp" | "unavailable";

/** Every queue of the topology under the workers' retry policy, in display order: each work queue, its retry levels, its dead letters. */
function pipelineQueues(policy: RetryPolicy): TopologyQueue[] {
  return Object.values(QUEUES).flatMap((queue) => queueTopology(queue, policy));
}

const TIMEOUT_MS = 3_000;

interface ManagementQueue {
  name: string;
  messages?: number;
  consumers?: number;
  message_stats?: { publish_details?: { rate: number }; deliver_get_details?: { rate: number } };
}

/** The vhost an AMQP_URL names ("/" when its path is empty); a cluster's nodes share it, so the first node's. */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(parseBrokerUrls(amqpUrl)[0] as string).pathname.slice(1);
  return path ? decodeURIComponent(path) : "/";
}

/** RabbitMQ's management API: its address (no credentials in it) and the user it is called as. */
export interface ManagementApi {
  url: string;
  user: string;
  password: string;
}

/**
 * Reads the queues from RabbitMQ's management API (`GET /api/queues/{vhost}`): depth, consumers
 * and the publish / deliver rates the broker measures.
 */
async function queueStatsFromManagement(management: ManagementApi, vhost: string, policy: RetryPolicy): Promise<QueueStats[]> {
  const url = new URL(management.url);
  const authorization = `Basic ${Buffer.from(`${management.user}:${management.password}`).toString("base64")}`;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/queues/${encodeURIComponent(vhost)}`;
  url.search = "columns=name,messages,consumers,message_stats";
  const response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`management API answered ${response.status}`);
  const byName = new Map(((await response.json()) as ManagementQueue[]).map((queue) => [queue.name, queue]));
  return pipelineQueues(policy).map((queue) => {
    const found = byName.get(queue.name);
    return {
      ...queue,
      messages: found?.messages ?? null,
      consumers: found?.consumers ?? null,
      inRate: found ? (found.message_stats?.publish_details?.rate ?? 0) : null,
      outRate: found ? (found.message_stats?.deliver_get_details?.rate ?? 0) : null,
    };
  });
}

/**
 * What AMQP itself tells: a passive declare of each queue answers its ready messages and consumers
 * (no rates), from the first node of AMQP_URL that answers. A queue that does not exist closes the
 * channel, so each gets its own.
 */
async function queueStatsFromAmqp(amqpUrl: string, policy: RetryPolicy): Promise<QueueStats[]> {
  const connection = await connectToBroker(amqpUrl, TIMEOUT_MS);
  connection.on("error", () => {});
  try {
    return await Promise.all(
      pipelineQueues(policy).map(async (queue) => {
        const channel = await connection.createChannel();
        channel.on("error", () => {});
        try {
          const ok = await channel.checkQueue(queue.name);
          await channel.close();
          return { ...queue, messages: ok.messageCount, consumers: ok.consumerCount, inRate: null, outRate: null };
        } catch {
          return { ...queue, messages: null, consumers: null, inRate: null, outRate: null };
        }
      }),
    );
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Where the queue statistics are read, and which queues there are (the workers' retry policy). */
export interface QueueStatsOptions {
  amqpUrl: string;
  management?: ManagementApi;
  retryPolicy: RetryPolicy;
}

/** The management API when configured and answering, else AMQP, else nothing (the view says so). */
export async function readQueueStats(options: QueueStatsOptions): Promise<{
  source: QueueStatsSource;
  queues: QueueStats[];
  error?: string;
}> {
  const errors: string[] = [];
  if (options.management) {
    try {
      return {
        source: "management",
        queues: await queueStatsFromManagement(options.management, vhostOf(options.amqpUrl), options.retryPolicy),
      };
    } catch (error) {
      errors.push(`management API: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return {
      source: "amqp",
      queues: await queueStatsFromAmqp(options.amqpUrl, options.retryPolicy),
      ...(errors.length ? { error: errors.join("; ") } : {}),
    };
  } catch (error) {
    errors.push(`broker: ${error instanceof Error ? error.message : String(error)}`);
  }
  const queues = pipelineQueues(options.retryPolicy).map((queue) => ({
    ...queue,
    messages: null,
    consumers: null,
    inRate: null,
    outRate: null,
  }));
  return { source: "unavailable", queues, error: errors.join("; ") };
}
