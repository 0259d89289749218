import { checkHealth } from "~/server/health";

export const dynamic = "force-dynamic";

/** 200 when the database answers and the broker accepts a connection; 503 otherwise. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
