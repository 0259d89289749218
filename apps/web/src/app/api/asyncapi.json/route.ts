/** `/api/asyncapi.json` (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleAsyncApiRequest as GET } from "~/server/api/request-handlers";
