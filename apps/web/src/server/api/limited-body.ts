import { getWebMetrics, isRegistrationRequest } from "../metrics";

/** Largest request body the API reads (a registration is a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

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
 * A request whose body has been read into memory, within the limit: `bodyText` holds it, so that a
 * handler takes it from there rather than through the body's stream again (the stream still serves
 * a reader that wants one).
 */
export class BufferedRequest extends Request {
  constructor(
    url: string,
    init: { method: string; headers: Headers },
    readonly bodyText: string,
  ) {
    super(url, { ...init, body: bodyText });
  }
}

/** The answer to a body over the limit, counted as a refused registration when it was one. */
export function payloadTooLarge(req: Request): Response {
  if (isRegistrationRequest(req)) getWebMetrics().registrationsRefused.inc({ reason: "413" });
  return Response.json({ message: "Request body too large", code: "PAYLOAD_TOO_LARGE" }, { status: 413 });
}

/**
 * The request with its body read into memory, at most `limit` bytes of it (adapters would buffer
 * any body whole), or a 413 answer when it is longer. GET and HEAD, and a request read already,
 * pass as they are.
 */
export async function withLimitedBody(req: Request, limit: number = MAX_BODY_BYTES): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD" || req instanceof BufferedRequest) return req;
  const body = await readLimitedBody(req, limit);
  if (body === undefined) return payloadTooLarge(req);
  return new BufferedRequest(req.url, { method: req.method, headers: req.headers }, body);
}
