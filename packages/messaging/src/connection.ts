import { connect, type ChannelModel } from "amqplib";

/** Heartbeat period asked of the broker: a silent peer (a dead broker or a cut network) is noticed within two of them. */
export const HEARTBEAT_SECONDS = 15;

/**
 * Opens a connection with heartbeats on (unless the URL asks for its own `heartbeat`) and a
 * connect timeout, so that neither a dead socket nor an unreachable broker hangs a caller.
 */
export async function connectToBroker(url: string, timeoutMs: number): Promise<ChannelModel> {
  const withHeartbeat = new URL(url);
  if (!withHeartbeat.searchParams.has("heartbeat")) withHeartbeat.searchParams.set("heartbeat", String(HEARTBEAT_SECONDS));
  return connect(withHeartbeat.toString(), { timeout: timeoutMs });
}
