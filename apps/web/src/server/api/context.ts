import "server-only";
import { adminSessionFromHeaders } from "../auth/admin-auth";
import { adminAuthConfig } from "../auth/admin-session";
import { getDb } from "../db";
import { getLogger } from "../logger";
import { getPublisher } from "../publisher";
import type { TRPCContext } from "./trpc";

/**
 * The app's context for one request: the shared, lazily connected db client and publisher, and the
 * admin session read from the request's cookie (checked by `adminProcedure`).
 */
export function createTRPCContext(opts: { headers: Headers }): TRPCContext {
  return {
    headers: opts.headers,
    db: getDb(),
    publisher: getPublisher(),
    adminSession: adminSessionFromHeaders(opts.headers, adminAuthConfig()),
    logger: getLogger(),
  };
}
