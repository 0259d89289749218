/** `/api/openapi.json` (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleOpenApiRequest as GET } from "~/server/api/request-handlers";

// Built at request time from APP_URL, which is only known at run time, not at `next build`.
export const dynamic = "force-dynamic";
