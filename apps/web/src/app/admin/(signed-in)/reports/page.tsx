import type { Metadata } from "next";
import { requireAdminSession } from "~/server/auth/admin-session";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { ReportsDashboard } from "./reports-dashboard";

export const metadata: Metadata = { title: "Reports" };

export default async function ReportsPage() {
  await requireAdminSession();
  // Rendered with the list loaded; the client polls from there while a report is running.
  await prefetch(trpc.reports.list.queryOptions());
  return (
    <HydrateClient>
      <h1>Reports</h1>
      <ReportsDashboard />
    </HydrateClient>
  );
}
