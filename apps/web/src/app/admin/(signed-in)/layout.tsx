import type { Metadata } from "next";
import { requireAdminSession } from "~/server/auth/admin-session";
import { SiteNav } from "../../site-nav";
import { signOut, signOutEverywhere } from "../actions";

// One link per admin page, in the order an admin reaches for them.
const ADMIN_LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/emails", label: "Emails" },
  { href: "/admin/suppressions", label: "Suppressions" },
  { href: "/admin/reports", label: "Reports" },
  { href: "/admin/pipeline", label: "Pipeline" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/webhooks", label: "Webhooks" },
];

export const metadata: Metadata = { robots: { index: false, follow: false } };

/** Every admin page but the sign-in: no session, no page (each page checks again itself). */
export default async function SignedInAdminLayout({ children }: { children: React.ReactNode }) {
  const session = await requireAdminSession();
  return (
    <>
      <div className="admin-bar">
        <SiteNav label="Admin" links={ADMIN_LINKS} />
        <span className="muted">Signed in as {session.email}</span>
        <div className="admin-bar-actions">
          <form action={signOut}>
            <button type="submit" className="button secondary">
              Sign out
            </button>
          </form>
          {/* Ends the sessions of every browser this admin signed in from, this one too. */}
          <form action={signOutEverywhere}>
            <button type="submit" className="button secondary">
              Sign out everywhere
            </button>
          </form>
        </div>
      </div>
      {children}
    </>
  );
}
