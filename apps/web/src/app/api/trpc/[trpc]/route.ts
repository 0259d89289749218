import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logProcedureError } from "~/server/api/log-error";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/context";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError: ({ error, path }) => logProcedureError("trpc", path, error),
  });
}

export { handler as GET, handler as POST };
