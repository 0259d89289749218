import { getWebMetrics } from "~/server/metrics";

export const dynamic = "force-dynamic";

/**
 * `/metrics`: this process's Prometheus metrics (text format). Meant for a scraper on the internal
 * network: the reverse proxy in front of the public port should not forward it.
 */
export async function GET() {
  const { registry } = getWebMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
