/** `/api/v1/*`: the REST surface (`server/api/request-handlers.ts`, shared with the API server on its own). */
export {
  handleRestApiRequest as GET,
  handleRestApiRequest as POST,
  handleRestApiRequest as PUT,
  handleRestApiRequest as PATCH,
  handleRestApiRequest as DELETE,
  handleRestApiRequest as HEAD,
} from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
