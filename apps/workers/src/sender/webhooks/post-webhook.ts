import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolveTarget, TargetRefusedError } from "@userstream/runtime/network-target";
import { Webhook } from "standardwebhooks";

/** One signed request to an endpoint. */
export interface WebhookRequest {
  url: string;
  /** The endpoint's secret (`whsec_...`). */
  secret: string;
  /** `webhook-id`: the same on every attempt of one delivery, so the integrator can drop repeats. */
  messageId: string;
  /** The JSON body, sent as is and signed. */
  body: string;
}

/** What one attempt got: the answer's status code, or no answer (`error` says why); how long it took. */
export interface WebhookAnswer {
  statusCode?: number;
  error?: string;
  durationMs: number;
  /** True when retrying cannot help: the address was refused (private, loopback, link-local). */
  refused: boolean;
}

export interface PostOptions {
  allowPrivateTargets: boolean;
  timeoutMs: number;
  userAgent: string;
}

/** The headers of Standard Webhooks: id, timestamp (unix seconds) and the `v1,<HMAC-SHA256>` signature. */
export function signWebhook(request: Pick<WebhookRequest, "secret" | "messageId" | "body">, at: Date): Record<string, string> {
  return {
    "webhook-id": request.messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(request.secret).sign(request.messageId, at, request.body),
  };
}

/** A lookup that answers with the address already checked, so the connection goes exactly there. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all)
      (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * POSTs one signed webhook. The host is resolved and every address it resolves to checked first
 * (none may be private unless allowed); the connection then goes to the first checked address, so
 * a second resolution (DNS rebinding) cannot send it elsewhere. Redirects are not followed: a 3xx
 * is a failed attempt. Never throws: every outcome is an answer to record.
 */
export async function postWebhook(request: WebhookRequest, options: PostOptions): Promise<WebhookAnswer> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const url = new URL(request.url);
  let target;
  try {
    [target] = await resolveTarget(url.hostname, { allowPrivate: options.allowPrivateTargets });
  } catch (err) {
    const refused = err instanceof TargetRefusedError;
    return {
      error: refused ? (err as Error).message : `cannot resolve ${url.hostname}: ${String(err)}`,
      durationMs: elapsed(),
      refused,
    };
  }
  if (!target) return { error: `cannot resolve ${url.hostname}`, durationMs: elapsed(), refused: false };
  const transport = url.protocol === "https:" ? https : http;
  const headers = {
    "content-type": "application/json",
    "user-agent": options.userAgent,
    ...signWebhook(request, new Date()),
  };
  return new Promise<WebhookAnswer>((resolve) => {
    const req = transport.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(request.body) },
      lookup: pinnedLookup(target.address, target.family),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    req.on("response", (res) => {
      // The answer's body is not read: only its status counts.
      res.resume();
      const statusCode = res.statusCode ?? 0;
      const ok = statusCode >= 200 && statusCode < 300;
      resolve({ statusCode, ...(ok ? {} : { error: `HTTP ${statusCode}` }), durationMs: elapsed(), refused: false });
    });
    req.on("error", (err) => {
      const timedOut = err.name === "AbortError" || err.name === "TimeoutError";
      const error = timedOut ? `no answer within ${options.timeoutMs} ms` : `${err.message}`;
      resolve({ error, durationMs: elapsed(), refused: false });
    });
    req.end(request.body);
  });
}
