/** `/healthz`, the liveness probe (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleLivenessRequest as GET } from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
