import { connect, type ChannelModel } from "amqplib";
import { brokerAddress, failoverOrder, parseBrokerUrls } from "./broker-urls";

/** Heartbeat period asked of the broker: a silent peer (a dead broker or a cut network) is noticed within two of them. */
export const HEARTBEAT_SECONDS = 15;

/**
 * Opens a connection to one node with heartbeats on (unless the URL asks for its own
 * `heartbeat`) and a connect timeout covering the AMQP handshake, so that neither a dead socket
 * nor an unreachable or frozen node hangs a caller.
 */
function connectToNode(url: string, timeoutMs: number): Promise<ChannelModel> {
  const withHeartbeat = new URL(url);
  if (!withHeartbeat.searchParams.has("heartbeat")) withHeartbeat.searchParams.set("heartbeat", String(HEARTBEAT_SECONDS));
  return connect(withHeartbeat.toString(), { timeout: timeoutMs });
}

/** Opens connections to a broker given as one node or a cluster's list of nodes (`AMQP_URL`). */
export interface BrokerConnector {
  /**
   * Connects to the first node that answers, trying them in failover order: after the node of the
   * previous connection (which is gone, or it would not be asked again), wrapping round. Rejects
   * when no node answers; the caller retries with its own backoff.
   */
  connect(): Promise<ChannelModel>;
  /** `host:port` of the node of the last connection made (for logs). */
  current(): string | undefined;
}

/** A connector for `url`: one amqp(s) URL or a comma-separated list of a cluster's nodes. */
export function createBrokerConnector(url: string, timeoutMs: number): BrokerConnector {
  const urls = parseBrokerUrls(url);
  let last: number | undefined;
  return {
    async connect() {
      const failures: string[] = [];
      for (const index of failoverOrder(urls.length, last)) {
        const node = urls[index] as string;
        try {
          const connection = await connectToNode(node, timeoutMs);
          last = index;
          return connection;
        } catch (err) {
          failures.push(`${brokerAddress(node)}: ${(err as Error).message}`);
          if (urls.length === 1) throw err;
        }
      }
      throw new Error(`no broker node answered (${failures.join("; ")})`);
    },
    current: () => (last === undefined ? undefined : brokerAddress(urls[last] as string)),
  };
}

/** One connection to the first node of `url` that answers (a one-off: no failover state kept). */
export function connectToBroker(url: string, timeoutMs: number): Promise<ChannelModel> {
  return createBrokerConnector(url, timeoutMs).connect();
}
