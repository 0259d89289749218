import { TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler, type CreateOpenApiFetchHandlerOptions } from "trpc-to-openapi";
import { BufferedRequest } from "./limited-body";
import type { AppRouter } from "./root";
import type { TRPCContext } from "./trpc";

/** trpc-to-openapi's fetch handler options but the request, with the context made from the web `Request`. */
export interface OpenApiFetchOptions extends Omit<CreateOpenApiFetchHandlerOptions<AppRouter>, "req" | "createContext"> {
  createContext: (req: Request) => TRPCContext | Promise<TRPCContext>;
}

/** The body as trpc-to-openapi's own fetch adapter reads it: JSON, a form, or left alone. */
async function readBody(req: Request): Promise<{ ok: true; data: unknown } | { ok: false; cause: unknown }> {
  try {
    const type = req.headers.get("content-type") ?? "";
    const text = () => (req instanceof BufferedRequest ? req.bodyText : req.text());
    // JSON.parse rather than req.json(), which does not throw on invalid JSON.
    if (type.includes("application/json")) return { ok: true, data: JSON.parse(await text()) };
    if (type.includes("application/x-www-form-urlencoded")) {
      const params = new URLSearchParams(await text());
      return { ok: true, data: Object.fromEntries([...params.keys()].map((key) => [key, params.getAll(key)])) };
    }
    return { ok: true, data: req.body };
  } catch (cause) {
    return { ok: false, cause };
  }
}

/**
 * trpc-to-openapi's `createOpenApiFetchHandler`, with the handler built once: the library's own
 * builds it on every request, and with it the table of routes (and, outside production, the whole
 * OpenAPI document, to validate the router). The request is adapted exactly as the library does
 * (the body read before routing, a parse error raised when the handler reads it) and the answer
 * collected into a `Response`, so routing, validation and answers are the library's.
 */
export function createOpenApiFetchServer({ endpoint, createContext, ...options }: OpenApiFetchOptions) {
  // The library's own fetch adapter hands the node handler a `Request` the same way (its types say Node's).
  const handler = createOpenApiNodeHttpHandler({
    ...options,
    createContext: ({ req }: { req: unknown }) => createContext(req as Request),
  } as unknown as Parameters<typeof createOpenApiNodeHttpHandler>[0]);

  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url.replace(endpoint, "")).toString();
    const body = await readBody(req);
    const request = new Proxy(req, {
      get: (target, property) => {
        if (property === "url") return url;
        if (property === "body") {
          if (!body.ok) throw new TRPCError({ code: "PARSE_ERROR", message: "Failed to parse request body", cause: body.cause });
          return body.data;
        }
        return target[property as keyof Request];
      },
    });
    const headers = new Headers();
    let status = 200;
    return new Promise<Response>((resolve) => {
      const res = {
        setHeader(key: string, value: string | string[]) {
          if (typeof value === "string") headers.set(key, value);
          else for (const each of value) headers.append(key, each);
        },
        get statusCode() {
          return status;
        },
        set statusCode(code: number) {
          status = code;
        },
        end(text?: string) {
          resolve(new Response(text, { headers, status }));
        },
      };
      void handler(request as never, res as never);
    });
  };
}
