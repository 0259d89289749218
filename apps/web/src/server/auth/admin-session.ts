import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { ADMIN_SESSION_COOKIE, adminSessionFromToken, type AdminAuthConfig, type AdminSession } from "./admin-auth";

/** The admin account and session settings from the validated environment. */
export function adminAuthConfig(): AdminAuthConfig {
  return {
    adminEmail: env.ADMIN_EMAIL,
    passwordHash: env.ADMIN_PASSWORD_HASH,
    sessionSecret: env.SESSION_SECRET,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    secureCookie: env.NODE_ENV !== "development",
  };
}

/** The signed-in admin of the current request (server components, server actions), or null. */
export async function getAdminSession(): Promise<AdminSession | null> {
  const store = await cookies();
  return adminSessionFromToken(store.get(ADMIN_SESSION_COOKIE)?.value, adminAuthConfig());
}

/**
 * For every admin page: the session, or a redirect to the sign-in page that comes back to `path`.
 * Pages call it themselves (not only the layout), since a layout is not re-run on every navigation.
 */
export async function requireAdminSession(path: string): Promise<AdminSession> {
  const session = await getAdminSession();
  if (!session) redirect(`/admin/login?next=${encodeURIComponent(path)}`);
  return session;
}
