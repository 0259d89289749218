import { createOpenApiFetchServer } from "./openapi-fetch";
import { appRouter } from "./root";
import { REST_SUCCESS_STATUS, toRestErrorBody } from "./rest-errors";
import type { TRPCContext } from "./trpc";
import { retryAfterHeaders } from "../rate-limiter";
import { withLimitedBody } from "./limited-body";
import { recordProcedureError } from "./procedure-errors";

export const REST_PREFIX = "/api/v1";

type CreateContext = (opts: { headers: Headers }) => TRPCContext | Promise<TRPCContext>;

/**
 * One handler per context factory, built on first use: the web and the API server each pass one
 * module-level factory, so each process builds its route table once (docs/benchmarks.md, accept).
 */
const handlers = new WeakMap<CreateContext, (req: Request) => Promise<Response>>();

function restHandler(createContext: CreateContext) {
  let handler = handlers.get(createContext);
  if (!handler) {
    handler = createOpenApiFetchServer({
      endpoint: REST_PREFIX,
      router: appRouter,
      createContext: (req) => createContext({ headers: req.headers }),
      responseMeta: ({ paths, errors }) => {
        const status = errors.length === 0 && paths?.length === 1 ? REST_SUCCESS_STATUS[paths[0] ?? ""] : undefined;
        return { ...(status ? { status } : {}), headers: retryAfterHeaders(errors) };
      },
      onError: ({ error, path, ctx }) => recordProcedureError(ctx?.logger, "rest", path, error),
    });
    handlers.set(createContext, handler);
  }
  return handler;
}

/**
 * Serves `/api/v1/*` from the same tRPC procedures (trpc-to-openapi), then reshapes the answer to
 * the public REST contract: 202 for an accepted registration, `{ errors }` for a 400.
 */
export async function handleRestRequest(req: Request, createContext: CreateContext): Promise<Response> {
  const request = await withLimitedBody(req);
  if (request instanceof Response) return request;

  const response = await restHandler(createContext)(request);
  if (response.status < 400) return response;

  const body: unknown = await response.json().catch(() => null);
  const headers = new Headers({ "cache-control": "no-store" });
  // RFC 9110: a 401 names the scheme the client should use.
  if (response.status === 401) headers.set("www-authenticate", 'Bearer realm="userstream"');
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) headers.set("retry-after", retryAfter);
  return Response.json(toRestErrorBody(response.status, body), { status: response.status, headers });
}
