/** `/api/trpc/*`: the typed API (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleTrpcRequest as GET, handleTrpcRequest as POST } from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
