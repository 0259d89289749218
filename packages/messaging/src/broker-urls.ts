import { z } from "zod";

/**
 * The addresses of the broker's nodes in an `AMQP_URL` value: one `amqp://` or `amqps://` URL, or
 * several separated by commas (the nodes of one cluster, tried in the order given). Throws an error
 * that names the faulty entry by its position, never by its text, which may hold a password.
 */
export function parseBrokerUrls(value: string): string[] {
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") throw new Error("required: an amqp:// or amqps:// URL");
  const urls = entries.map((entry, index) => {
    const position = entries.length === 1 ? "" : `address ${index + 1} of ${entries.length}: `;
    if (entry === "") throw new Error(`${position}empty (two commas in a row, or one at an end)`);
    if (!URL.canParse(entry) || !/^amqps?:$/.test(new URL(entry).protocol)) {
      throw new Error(`${position}must be an amqp:// or amqps:// URL`);
    }
    return entry;
  });
  const repeated = urls.findIndex((url, index) => urls.indexOf(url) !== index);
  if (repeated !== -1) throw new Error(`address ${repeated + 1} of ${urls.length}: given twice`);
  return urls;
}

/** `AMQP_URL` for the env loaders: one broker URL or a comma-separated list of a cluster's nodes, kept as written. */
export const brokerUrlsSchema = z.string({ error: "required: an amqp:// or amqps:// URL" }).superRefine((value, context) => {
  try {
    parseBrokerUrls(value);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
  }
});

/**
 * The order in which to try `count` nodes when the connection to node `lost` is gone: the nodes
 * after it in the list, wrapping round, and itself last (it may be back by then). With no node
 * lost yet (the first connection), the list's own order.
 */
export function failoverOrder(count: number, lost?: number): number[] {
  const start = lost === undefined ? 0 : lost + 1;
  return Array.from({ length: count }, (_, offset) => (start + offset) % count);
}

/** `host:port` of a node's URL, for logs and errors (never its credentials). */
export function brokerAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === "amqps:" ? "5671" : "5672")}`;
}
