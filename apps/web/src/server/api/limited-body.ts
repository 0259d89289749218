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
 * The request with its body read into memory, at most `limit` bytes of it (adapters would buffer
 * any body whole), or a 413 answer when it is longer. GET and HEAD pass as they are.
 */
export async function withLimitedBody(req: Request, limit: number = MAX_BODY_BYTES): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = await readLimitedBody(req, limit);
  if (body === undefined) {
    if (isRegistrationRequest(req)) getWebMetrics().registrationsRefused.inc({ reason: "413" });
    return Response.json({ message: "Request body too large", code: "PAYLOAD_TOO_LARGE" }, { status: 413 });
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body });
}
