import type { Metadata } from "next";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { ReportsDashboard } from "./reports-dashboard";

export const metadata: Metadata = { title: "Reports" };

export default function ReportsPage() {
  // Rendered with the list loaded; the client polls from there while a report is running.
  return (
    <PrefetchedAdminPage title="Reports" queries={[trpc.reports.list.queryOptions()]}>
      <ReportsDashboard />
    </PrefetchedAdminPage>
  );
}
