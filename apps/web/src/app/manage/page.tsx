import type { Metadata } from "next";
import Link from "next/link";
import { env } from "~/env";
import { clientLimitKey } from "~/server/client-address";
import { describeManagedRegistration } from "~/server/data-rights/data-rights-service";
import { ManageLinkError } from "~/server/data-rights/manage-link";
import { getDb } from "~/server/db";
import { getAuditLogger, getLogger } from "~/server/logger";
import { headers } from "next/headers";
import { ManageRegistration } from "./manage-registration";

export const metadata: Metadata = {
  title: "Manage my registration",
  // The link is personal: never in a search index, and its links are not to be followed.
  robots: { index: false, follow: false },
};

// The page reads the person's registration on every request: never prerendered, never cached.
export const dynamic = "force-dynamic";

type Found = Awaited<ReturnType<typeof describeManagedRegistration>>;

async function lookUp(token: string | string[] | undefined): Promise<Found | { problem: string }> {
  if (typeof token !== "string") return { problem: new ManageLinkError("invalid").message };
  try {
    const deps = {
      db: getDb(),
      secret: env.CONFIRMATION_TOKEN_SECRET,
      clientKey: clientLimitKey(await headers(), env.TRUSTED_PROXIES),
      auditLog: getAuditLogger(),
    };
    return await describeManagedRegistration(token, deps);
  } catch (error) {
    if (error instanceof ManageLinkError) return { problem: error.message };
    const message = error instanceof Error ? error.message.trim().split("\n").at(-1) : String(error);
    getLogger().error({ error: message }, "manage page failed");
    return { problem: "Something went wrong on our side. Please open the link again in a moment." };
  }
}

/** Where the welcome email's "manage my registration" link lands: `/manage?token=…`. */
export default async function ManagePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const found = await lookUp(token);
  if ("problem" in found || typeof token !== "string") {
    return (
      <section className="notice problem" aria-labelledby="manage-heading">
        <h1 id="manage-heading">This link does not open a registration</h1>
        <p>{"problem" in found ? found.problem : null}</p>
        <p>
          <Link href="/">Go to the registration page</Link>
        </p>
      </section>
    );
  }
  return (
    <ManageRegistration
      token={token}
      firstName={found.firstName}
      maskedEmail={found.maskedEmail}
      registeredOn={found.registeredAt.toISOString().slice(0, 10)}
    />
  );
}
