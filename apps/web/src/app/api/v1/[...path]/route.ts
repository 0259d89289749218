import { createTRPCContext } from "~/server/api/context";
import { handleRestRequest } from "~/server/api/rest-handler";

export const dynamic = "force-dynamic";

/** `/api/v1/*`: the REST surface, served from the same procedures as tRPC. */
function handler(req: Request) {
  return handleRestRequest(req, createTRPCContext);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD };
