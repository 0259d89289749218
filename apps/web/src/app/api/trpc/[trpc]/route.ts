import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logProcedureError } from "~/server/api/log-error";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/context";
import { withLimitedBody } from "~/server/api/limited-body";

export const dynamic = "force-dynamic";

async function handler(original: Request) {
  const req = await withLimitedBody(original);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError: ({ error, path }) => logProcedureError("trpc", path, error),
  });
}

export { handler as GET, handler as POST };
