import type { Metadata } from "next";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { PipelineDashboard } from "./pipeline-dashboard";

export const metadata: Metadata = { title: "Pipeline" };

export default function PipelinePage() {
  return (
    <PrefetchedAdminPage title="Pipeline" queries={[trpc.pipeline.snapshot.queryOptions()]}>
      <PipelineDashboard />
    </PrefetchedAdminPage>
  );
}
