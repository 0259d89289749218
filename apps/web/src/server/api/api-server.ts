import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER } from "../client-address";
import { BufferedRequest, MAX_BODY_BYTES, payloadTooLarge } from "./limited-body";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A route module's handlers by HTTP method, as a Next.js route module exports them. */
export type RouteHandlers = Partial<Record<(typeof METHODS)[number], (req: Request) => Response | Promise<Response>>>;

/** Which handlers serve a path: a `path` ending in "/" is a catch-all, any other must match exactly. */
export interface Route {
  path: string;
  handlers: RouteHandlers;
}

function findRoute(routes: readonly Route[], pathname: string): Route | undefined {
  return routes.find(({ path }) => (path.endsWith("/") ? pathname.startsWith(path) : pathname === path));
}

/** The body of `req` when it is at most `limit` bytes; undefined when longer (the rest is not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData).resume();
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

/**
 * The request as a fetch `Request`, stamped with the address of the connection it came on (as the
 * web's instrumentation stamps it, overwriting whatever a client sent under that name), its body
 * read here, straight from the socket, at most MAX_BODY_BYTES (a 413 answer when longer): the
 * handlers take it as read (`BufferedRequest`) rather than through web streams again.
 */
async function toRequest(req: IncomingMessage): Promise<Request | Response> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  headers.set(CLIENT_ADDRESS_HEADER, req.socket.remoteAddress ?? "unknown");
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) return payloadTooLarge(new Request(url, { method, headers }));
  return new BufferedRequest(url, { method, headers }, body.toString("utf8"));
}

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  /** A handler threw: it is answered with 500 and reported here. */
  onError: (error: unknown) => void;
  /** Added to every answer unless the handler set that header itself (the web's security headers). */
  headers?: Record<string, string>;
}

async function send(res: ServerResponse, response: Response, head: boolean, defaults: Record<string, string>): Promise<void> {
  const body = head ? undefined : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(defaults)) headers[name.toLowerCase()] = value;
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  if (body) headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

async function answer(req: IncomingMessage, routes: readonly Route[]): Promise<Response> {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  const route = findRoute(routes, pathname);
  if (!route) return Response.json({ message: "Not found", code: "NOT_FOUND" }, { status: 404 });
  const handler = route.handlers[(req.method ?? "GET") as keyof RouteHandlers];
  if (!handler) {
    const allow = METHODS.filter((method) => route.handlers[method]).join(", ");
    return Response.json({ message: "Method not allowed", code: "METHOD_NOT_SUPPORTED" }, { status: 405, headers: { allow } });
  }
  const request = await toRequest(req);
  return request instanceof Response ? request : handler(request);
}

/**
 * A plain Node http server for the given route handlers: the REST API on its own port, without
 * Next.js's per-request routing, rendering and tracing (docs/benchmarks.md, "accept"). A handler
 * that throws is answered with 500 and logged through `onError`.
 */
export function createApiServer(routes: readonly Route[], { onError, headers = {} }: ApiServerOptions): Server {
  return createServer((req, res) => {
    Promise.resolve()
      .then(() => answer(req, routes))
      .catch((error: unknown) => {
        onError(error);
        return Response.json({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" }, { status: 500 });
      })
      .then((response) => send(res, response, req.method === "HEAD", headers))
      .catch((error: unknown) => {
        onError(error);
        res.destroy();
      });
  });
}
