import "server-only";
import { adminSessionFromHeaders } from "../auth/admin-sessions";
import { adminAuthConfig } from "../auth/auth-config";
import { env } from "~/env";
import { clientLimitKey } from "../client-address";
import { getDb, getPool } from "../db";
import { createRateLimiter, type RateLimiter } from "../rate-limiter";
import { createSharedRateLimiter } from "../shared-rate-limiter";
import { getAuditLogger, getLogger } from "../logger";
import { getPublisher } from "../publisher";
import type { TRPCContext } from "./trpc";

const MINUTE_MS = 60_000;

/**
 * The limiter of `perMinute()` requests per client address per minute (none for `off`), made by
 * `make` on first use (the environment is read then, not while `next build` loads this module).
 */
function limiterPerMinute(
  perMinute: () => number | "off",
  make: (max: number, windowMs: number) => RateLimiter,
): () => RateLimiter | null {
  let limiter: RateLimiter | null | undefined;
  return () => {
    if (limiter !== undefined) return limiter;
    const max = perMinute();
    limiter = max === "off" ? null : make(max, MINUTE_MS);
    return limiter;
  };
}

/** Counted in PostgreSQL, shared by every web and API server replica under the limit's name. */
const shared = (name: string) => (max: number, windowMs: number) => createSharedRateLimiter(getPool(), { name, max, windowMs });
/** Counted in this process: each replica counts its own share. */
const perProcess = (max: number, windowMs: number) => createRateLimiter({ max, windowMs });

const getRegistrationLimiter = limiterPerMinute(() => env.REGISTRATION_RATE_LIMIT, shared("registration"));
const getUsersListLimiter = limiterPerMinute(() => env.USERS_LIST_RATE_LIMIT, shared("users-list"));
// Per key, behind a valid key: a service that owns a key is not an anonymous crowd, and counting it
// here spares every authenticated REST call a round trip.
const getApiKeyLimiter = limiterPerMinute(() => env.API_KEY_RATE_LIMIT, perProcess);
const getDataRightsLimiter = limiterPerMinute(() => env.DATA_RIGHTS_RATE_LIMIT, shared("data-rights"));

/**
 * The app's context for one request: the shared, lazily connected db client and publisher, and the
 * admin session read from the request's cookie (looked up in the database only when the cookie is
 * correctly signed; checked by `adminProcedure`).
 */
export async function createTRPCContext(opts: { headers: Headers }): Promise<TRPCContext> {
  const db = getDb();
  return {
    headers: opts.headers,
    db,
    publisher: getPublisher(),
    adminSession: await adminSessionFromHeaders(opts.headers, db, adminAuthConfig()),
    appOrigin: new URL(env.APP_URL).origin,
    clientAddress: clientLimitKey(opts.headers, env.TRUSTED_PROXIES),
    registrationLimiter: getRegistrationLimiter(),
    apiKeyLimiter: getApiKeyLimiter(),
    usersListLimiter: getUsersListLimiter(),
    dataRightsLimiter: getDataRightsLimiter(),
    confirmationSecret: env.CONFIRMATION_TOKEN_SECRET,
    sendAgainLimits: { cooldownMinutes: env.SEND_AGAIN_COOLDOWN_MINUTES, dailyLimit: env.SEND_AGAIN_DAILY_LIMIT },
    logger: getLogger(),
    auditLog: getAuditLogger(),
    webhooks: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS, secretsKey: env.CONFIRMATION_TOKEN_SECRET },
  };
}
