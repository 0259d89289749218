/** `/readyz`, the readiness probe: `/api/health` under the name every worker uses (`server/api/request-handlers.ts`). */
export { handleHealthRequest as GET } from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
