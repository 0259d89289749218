import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db";
import { sessionCookieName, type AdminSession } from "./admin-auth";
import { findAdminSession } from "./admin-sessions";
import { adminAuthConfig } from "./auth-config";

/**
 * The signed-in admin of the current request (server components, server actions), or null.
 * Looked up once per request: the layout and the page both ask.
 */
export const getAdminSession = cache(async (): Promise<AdminSession | null> => {
  const config = adminAuthConfig();
  const store = await cookies();
  return findAdminSession(getDb(), store.get(sessionCookieName(config))?.value, config);
});

/**
 * The session, or a redirect to the sign-in page. The admin layout calls it, and every admin page
 * calls it again itself: a layout is not re-run on every client-side navigation.
 */
export async function requireAdminSession(): Promise<AdminSession> {
  const session = await getAdminSession();
  if (!session) redirect("/admin/login");
  return session;
}
