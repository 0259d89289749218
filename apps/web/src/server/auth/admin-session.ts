import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { ADMIN_SESSION_COOKIE, adminSessionFromToken, type AdminSession } from "./admin-auth";
import { adminAuthConfig } from "./auth-config";

/** The signed-in admin of the current request (server components, server actions), or null. */
export async function getAdminSession(): Promise<AdminSession | null> {
  const store = await cookies();
  return adminSessionFromToken(store.get(ADMIN_SESSION_COOKIE)?.value, adminAuthConfig());
}

/**
 * The session, or a redirect to the sign-in page. The admin layout calls it, and every admin page
 * calls it again itself: a layout is not re-run on every client-side navigation.
 */
export async function requireAdminSession(): Promise<AdminSession> {
  const session = await getAdminSession();
  if (!session) redirect("/admin/login");
  return session;
}
