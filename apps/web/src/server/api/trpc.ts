/**
 * The one place that defines the tRPC instance and the kinds of procedure. Routers import
 * `publicProcedure` from here; services never import tRPC.
 */
import { fieldErrors, type FieldErrors } from "@userstream/contracts";
import { TRPCError, initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { PrismaClient } from "@userstream/db";
import { PublishError, type PublishOutcome, type Publisher } from "@userstream/messaging";
import type { Logger } from "@userstream/runtime";
import type { ApiKeyScope } from "~/lib/api-keys";
import { authenticateApiKey } from "../api-key-service";
import type { AdminSession } from "../auth/admin-auth";
import { CROSS_SITE_MESSAGE, isCrossSiteRequest } from "../cross-site";
import { RateLimitedError, type RateLimiter } from "../rate-limiter";
import type { SendAgainLimits } from "../send-again/send-again-limits";

/**
 * What every procedure can use. The app builds it in `context.ts` from its singletons; tests
 * build it from a test database and vhost.
 */
export interface TRPCContext {
  headers: Headers;
  db: PrismaClient;
  publisher: Publisher;
  /** The signed-in admin, from the request's session cookie; null when there is none or it is not valid. */
  adminSession: AdminSession | null;
  /** APP_URL's origin, which a browser's `Origin` must equal for a mutation (`cross-site.ts`). */
  appOrigin?: string;
  /** Where the request came from, as every per-client limit counts it (`clientLimitKey`: IPv6 by /64). */
  clientAddress?: string;
  /** Registrations per client address; absent or null means no limit. */
  registrationLimiter?: RateLimiter | null;
  /** Pages of the public users directory per client address; absent or null means no limit. */
  usersListLimiter?: RateLimiter | null;
  /** Requests per API key (`API_KEY_RATE_LIMIT`); absent or null means no limit. */
  apiKeyLimiter?: RateLimiter | null;
  /** Downloads and erasures through "manage my registration" per client address; absent or null means no limit. */
  dataRightsLimiter?: RateLimiter | null;
  /** Checks the welcome email's signed links (`CONFIRMATION_TOKEN_SECRET`); the data-rights procedures need it. */
  confirmationSecret?: string;
  /** How often an email may be sent again, per address and per client (absent: the defaults). */
  sendAgainLimits?: SendAgainLimits;
  /** The app's logger (absent in tests that do not look at logs). */
  logger?: Pick<Logger, "info" | "error">;
  /** The audit trail of changes (`audit-log.ts`; absent in tests that do not look at it). */
  auditLog?: Pick<Logger, "info">;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<OpenApiMeta>()
  .create({
    // superjson applies to /api/trpc only; the REST adapter ignores transformers and speaks plain JSON.
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : undefined;
      const data: typeof shape.data & { fieldErrors: FieldErrors | null; outcome: PublishOutcome | null } = {
        ...shape.data,
        // `{ field: message }`, the shape both the form and the REST API show.
        fieldErrors: zodError ? fieldErrors(zodError) : null,
        // For a publish the broker did not confirm: `refused` (it surely has nothing) or `unknown` (it may still store it).
        outcome: error.cause instanceof PublishError ? error.cause.outcome : null,
      };
      // An unexpected error's message may carry internals (SQL, hosts); the server log has it.
      const message =
        error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side. Please try again." : shape.message;
      return { ...shape, message, data };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure is built on this: a mutation a browser sends from another site is refused with
 * FORBIDDEN (403) before anything runs, on /api/trpc and /api/v1 of both servers (`cross-site.ts`).
 */
const procedure = t.procedure.use(({ ctx, type, next }) => {
  if (type === "mutation" && isCrossSiteRequest(ctx.headers, ctx.appOrigin)) {
    throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_MESSAGE });
  }
  return next();
});

/** `value`, or NOT_FOUND (404) with `message` when the service found nothing (null). */
export function orNotFound<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new TRPCError({ code: "NOT_FOUND", message });
  return value;
}

/** Anyone may call it. */
export const publicProcedure = procedure;

/**
 * Only a signed-in admin may call it: the check lives here, in the data layer, so no page or
 * client can skip it. Procedures see `ctx.adminSession` as non-null.
 */
export const adminProcedure = procedure.use(({ ctx, next }) => {
  if (!ctx.adminSession) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in as an admin to do this." });
  return next({ ctx: { adminSession: ctx.adminSession } });
});

export const TOO_MANY_REGISTRATIONS_MESSAGE = "Too many registrations from your network. Please wait a minute and try again.";
export const TOO_MANY_USERS_LIST_REQUESTS_MESSAGE = "Too many searches from your network. Please wait a minute and try again.";
export const TOO_MANY_DATA_RIGHTS_REQUESTS_MESSAGE =
  "Too many downloads or erasures from your network. Please wait a minute and try again.";

/**
 * Anyone may call it, a limited number of times per client address (the limiter `limiterOf`
 * picks from the context; none means no limit), else TOO_MANY_REQUESTS (429 with Retry-After).
 * Counted before the input is read, so invalid attempts count too.
 */
function rateLimitedProcedure(limiterOf: (ctx: TRPCContext) => RateLimiter | null | undefined, message: string) {
  return procedure.use(({ ctx, next }) => {
    refuseOverLimit(limiterOf(ctx), ctx.clientAddress ?? "unknown", message);
    return next();
  });
}

/** Throws TOO_MANY_REQUESTS (429 with Retry-After) when `limiter` refuses one more request for `key`. */
function refuseOverLimit(limiter: RateLimiter | null | undefined, key: string, message: string): void {
  const decision = limiter?.take(key);
  if (decision && !decision.allowed) {
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message, cause: new RateLimitedError(decision.retryAfterMs) });
  }
}

/** Registrations, limited per client address (`REGISTRATION_RATE_LIMIT`). */
export const registrationRateLimitedProcedure = rateLimitedProcedure(
  (ctx) => ctx.registrationLimiter,
  TOO_MANY_REGISTRATIONS_MESSAGE,
);

/** Pages of the public users directory, limited per client address (`USERS_LIST_RATE_LIMIT`): it is open to scrapers. */
export const usersListRateLimitedProcedure = rateLimitedProcedure(
  (ctx) => ctx.usersListLimiter,
  TOO_MANY_USERS_LIST_REQUESTS_MESSAGE,
);

/** "Manage my registration" (download, erase), limited per client address (`DATA_RIGHTS_RATE_LIMIT`). */
export const dataRightsRateLimitedProcedure = rateLimitedProcedure(
  (ctx) => ctx.dataRightsLimiter,
  TOO_MANY_DATA_RIGHTS_REQUESTS_MESSAGE,
);

/** What a service is told when its key is refused; the same words for a key that never existed and a mistyped one. */
export const API_KEY_MESSAGES = {
  missing: "Send an API key as `Authorization: Bearer <key>`.",
  invalid: "The API key is not valid.",
  revoked: "The API key has been revoked.",
  expired: "The API key has expired.",
} as const;

export const TOO_MANY_API_KEY_REQUESTS_MESSAGE =
  "Too many requests with this API key. Wait as long as Retry-After says, then try again.";

/** What a key without the scope a procedure needs is told. */
export function missingScopeMessage(scope: ApiKeyScope): string {
  return `This API key does not have the "${scope}" scope. An admin can create a key that has it at /admin/api-keys.`;
}

/**
 * Only a request carrying a valid API key (`Authorization: Bearer <key>`, created by an admin, not
 * revoked, not expired) that has `scope` may call it; the key's last-used time is recorded. Each
 * key is limited to API_KEY_RATE_LIMIT requests a minute. For other services calling the REST
 * API; procedures see `ctx.apiKey` (id and name). Refused: 401 for the key itself, then 429 over
 * the limit, then 403 without the scope.
 */
export function apiKeyProcedure(scope: ApiKeyScope) {
  return procedure.use(async ({ ctx, next }) => {
    const check = await authenticateApiKey(ctx.headers.get("authorization"), ctx);
    if (!check.ok) throw new TRPCError({ code: "UNAUTHORIZED", message: API_KEY_MESSAGES[check.reason] });
    refuseOverLimit(ctx.apiKeyLimiter, check.apiKey.id, TOO_MANY_API_KEY_REQUESTS_MESSAGE);
    if (!check.apiKey.scopes.includes(scope)) throw new TRPCError({ code: "FORBIDDEN", message: missingScopeMessage(scope) });
    return next({ ctx: { apiKey: { id: check.apiKey.id, name: check.apiKey.name } } });
  });
}
