import type { Metadata } from "next";
import { requireAdminSession } from "~/server/auth/admin-session";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { PipelineDashboard } from "./pipeline-dashboard";

export const metadata: Metadata = { title: "Pipeline" };

export default async function PipelinePage() {
  await requireAdminSession();
  await prefetch(trpc.pipeline.snapshot.queryOptions());
  return (
    <HydrateClient>
      <h1>Pipeline</h1>
      <PipelineDashboard />
    </HydrateClient>
  );
}
