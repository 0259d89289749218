import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { appRouter } from "./root";
import { REST_SUCCESS_STATUS, toRestErrorBody } from "./rest-errors";
import type { TRPCContext } from "./trpc";
import { logProcedureError } from "./log-error";

export const REST_PREFIX = "/api/v1";
const MAX_BODY_BYTES = 64 * 1024;

/** Reads at most `limit` bytes of the body; undefined when it is longer (the stream is cancelled). */
async function readLimitedBody(req: Request, limit: number): Promise<string | undefined> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Serves `/api/v1/*` from the same tRPC procedures (trpc-to-openapi), then reshapes the answer to
 * the public REST contract: 202 for an accepted registration, `{ errors }` for a 400.
 */
export async function handleRestRequest(
  req: Request,
  createContext: (opts: { headers: Headers }) => TRPCContext,
): Promise<Response> {
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    // The adapter would buffer any body whole; bound it first.
    const body = await readLimitedBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      return Response.json({ message: "Request body too large", code: "PAYLOAD_TOO_LARGE" }, { status: 413 });
    }
    request = new Request(req.url, { method: req.method, headers: req.headers, body });
  }

  const response = await createOpenApiFetchHandler({
    endpoint: REST_PREFIX,
    router: appRouter,
    req: request,
    createContext: () => createContext({ headers: req.headers }),
    responseMeta: ({ paths, errors }) => {
      const status = errors.length === 0 && paths?.length === 1 ? REST_SUCCESS_STATUS[paths[0] ?? ""] : undefined;
      return status ? { status } : {};
    },
    onError: ({ error, path }) => logProcedureError("rest", path, error),
  });
  if (response.status < 400) return response;

  const body: unknown = await response.json().catch(() => null);
  const headers = new Headers({ "cache-control": "no-store" });
  // RFC 9110: a 401 names the scheme the client should use.
  if (response.status === 401) headers.set("www-authenticate", 'Bearer realm="userstream"');
  return Response.json(toRestErrorBody(response.status, body), { status: response.status, headers });
}
