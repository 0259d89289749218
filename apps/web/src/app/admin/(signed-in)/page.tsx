import type { Metadata } from "next";
import Link from "next/link";
import { requireAdminSession } from "~/server/auth/admin-session";
import { serverCaller } from "~/trpc/server";
import { RegistrationsChart } from "./registrations-chart";
import { Section } from "../components/section";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdminSession();
  const overview = await (await serverCaller()).admin.overview();
  const counts = [
    { label: "Users", value: overview.users },
    { label: "Verified", value: overview.verifiedUsers },
    { label: "Emails sent", value: overview.emails.sent },
    { label: "Emails failed", value: overview.emails.failed, href: "/admin/emails?status=failed" },
    { label: "Emails dead-lettered", value: overview.emails.dead, href: "/admin/emails?status=dead" },
    // What the provider reported after taking them (Resend's webhooks; SMTP refusals for bounced).
    { label: "Emails delivered", value: overview.emails.delivered, href: "/admin/emails?status=delivered" },
    { label: "Emails bounced", value: overview.emails.bounced, href: "/admin/emails?status=bounced" },
    { label: "Emails complained", value: overview.emails.complained, href: "/admin/emails?status=complained" },
    { label: "Emails suppressed", value: overview.emails.suppressed, href: "/admin/suppressions" },
    { label: "Reports", value: overview.reports, href: "/admin/reports" },
  ];
  return (
    <>
      <h1>Overview</h1>
      <dl className="stats" aria-label="Counts">
        {counts.map((count) => (
          <div key={count.label} className="stat">
            <dt>{count.href ? <Link href={count.href}>{count.label}</Link> : count.label}</dt>
            <dd data-testid={`count-${count.label.toLowerCase().replaceAll(" ", "-")}`}>{count.value}</dd>
          </div>
        ))}
      </dl>
      <Section id="registrations-heading" title="Registrations per day, last 30 days (UTC)">
        <RegistrationsChart days={overview.registrationsPerDay} />
      </Section>
    </>
  );
}
