/** `/api/health` (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleHealthRequest as GET } from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
