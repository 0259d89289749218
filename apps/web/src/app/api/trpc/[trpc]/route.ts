import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { recordProcedureError } from "~/server/api/procedure-errors";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/context";
import { withLimitedBody } from "~/server/api/limited-body";
import { retryAfterHeaders } from "~/server/rate-limiter";
import { TRPC_MAX_BATCH_SIZE } from "~/lib/trpc-limits";

export const dynamic = "force-dynamic";

async function handler(original: Request) {
  const req = await withLimitedBody(original);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: () => createTRPCContext({ headers: req.headers }),
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
    onError: ({ error, path, ctx }) => recordProcedureError(ctx?.logger, "trpc", path, error),
  });
}

export { handler as GET, handler as POST };
