/**
 * The admin's sessions, kept in PostgreSQL (`admin_sessions`) so that they can be ended: the
 * cookie holds a random token signed with SESSION_SECRET, and the row named by the token's
 * SHA-256 says whether the session still holds.
 */
import type { PrismaClient } from "@userstream/db";
import { passwordFingerprint, readCookie, sessionCookieName, type AdminAuthConfig } from "./admin-auth";
import { newSessionToken, sessionIdOf, signSessionToken, verifySessionToken, type AdminSession } from "./session";

type SessionsDb = Pick<PrismaClient, "adminSession">;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * `last_seen_at` is written only when it is older than this, so a busy admin costs one write a
 * minute, not one per request; the idle timeout is therefore exact to within a minute.
 */
const LAST_SEEN_RESOLUTION_MS = MINUTE_MS;

/**
 * Starts a session for the admin: stores its record and returns the cookie value (`token`) and
 * what the session says. Records past their absolute end are deleted on the way, so the table
 * holds at most the sessions of the last SESSION_TTL_HOURS.
 */
export async function startAdminSession(
  db: SessionsDb,
  config: AdminAuthConfig,
  now: Date = new Date(),
): Promise<{ token: string; session: AdminSession }> {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + config.sessionTtlHours * HOUR_MS);
  await db.adminSession.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.adminSession.create({
    data: {
      id: sessionIdOf(token),
      email: config.adminEmail,
      passwordFingerprint: passwordFingerprint(config),
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    },
  });
  return {
    token: signSessionToken(token, config.sessionSecret),
    session: { email: config.adminEmail, expiresAt: expiresAt.getTime() },
  };
}

/**
 * The session a cookie value names, if it still holds: correctly signed, its record present and
 * not revoked, made for the current ADMIN_EMAIL under the current ADMIN_PASSWORD_HASH, within its
 * absolute lifetime and used within SESSION_IDLE_MINUTES. Using it keeps it alive.
 */
export async function findAdminSession(
  db: SessionsDb,
  cookieValue: string | undefined,
  config: AdminAuthConfig,
  now: Date = new Date(),
): Promise<AdminSession | null> {
  const token = verifySessionToken(cookieValue, config.sessionSecret);
  if (!token) return null;
  const id = sessionIdOf(token);
  const record = await db.adminSession.findUnique({ where: { id } });
  if (!record || record.revokedAt) return null;
  if (record.email !== config.adminEmail || record.passwordFingerprint !== passwordFingerprint(config)) return null;
  const idleSince = now.getTime() - record.lastSeenAt.getTime();
  if (record.expiresAt <= now || idleSince >= config.sessionIdleMinutes * MINUTE_MS) return null;
  if (idleSince >= LAST_SEEN_RESOLUTION_MS) {
    // Conditional, so that concurrent requests of one session write once.
    const stale = new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS);
    await db.adminSession.updateMany({ where: { id, lastSeenAt: { lte: stale } }, data: { lastSeenAt: now } });
  }
  return { email: record.email, expiresAt: record.expiresAt.getTime() };
}

/** The admin session of a request, from its `Cookie` header (route handlers, the tRPC context). */
export function adminSessionFromHeaders(
  headers: Headers,
  db: SessionsDb,
  config: AdminAuthConfig,
  now: Date = new Date(),
): Promise<AdminSession | null> {
  return findAdminSession(db, readCookie(headers.get("cookie"), sessionCookieName(config)), config, now);
}

/** Ends the session a cookie value names (sign-out); a value that names none changes nothing. */
export async function endAdminSession(
  db: SessionsDb,
  cookieValue: string | undefined,
  config: AdminAuthConfig,
  now: Date = new Date(),
): Promise<void> {
  const token = verifySessionToken(cookieValue, config.sessionSecret);
  if (!token) return;
  await db.adminSession.updateMany({ where: { id: sessionIdOf(token), revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every session of `email`, in every browser ("sign out everywhere"); returns how many were open. */
export async function endAllAdminSessions(db: SessionsDb, email: string, now: Date = new Date()): Promise<number> {
  const ended = await db.adminSession.updateMany({
    where: { email, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return ended.count;
}
