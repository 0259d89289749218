import "server-only";
import { adminSessionFromHeaders } from "../auth/admin-sessions";
import { adminAuthConfig } from "../auth/auth-config";
import { env } from "~/env";
import { clientLimitKey } from "../client-address";
import { getDb } from "../db";
import { createRateLimiter, type RateLimiter } from "../rate-limiter";
import { getAuditLogger, getLogger } from "../logger";
import { getPublisher } from "../publisher";
import type { TRPCContext } from "./trpc";

const MINUTE_MS = 60_000;

/**
 * One limiter per process of `perMinute()` requests per client address per minute, or none for
 * `off`; made on first use (the environment is read then, not while `next build` loads this module).
 */
function limiterPerMinute(perMinute: () => number | "off"): () => RateLimiter | null {
  let limiter: RateLimiter | null | undefined;
  return () => {
    if (limiter !== undefined) return limiter;
    const max = perMinute();
    limiter = max === "off" ? null : createRateLimiter({ max, windowMs: MINUTE_MS });
    return limiter;
  };
}

const getRegistrationLimiter = limiterPerMinute(() => env.REGISTRATION_RATE_LIMIT);
const getUsersListLimiter = limiterPerMinute(() => env.USERS_LIST_RATE_LIMIT);
const getApiKeyLimiter = limiterPerMinute(() => env.API_KEY_RATE_LIMIT);
const getDataRightsLimiter = limiterPerMinute(() => env.DATA_RIGHTS_RATE_LIMIT);

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
  };
}
