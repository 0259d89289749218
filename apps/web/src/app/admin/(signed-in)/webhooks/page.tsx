import type { Metadata } from "next";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { WebhooksManager } from "./webhooks-manager";

export const metadata: Metadata = { title: "Webhooks · Admin" };

export default function WebhooksPage() {
  return (
    <PrefetchedAdminPage
      title="Webhooks"
      queries={[trpc.webhooks.endpoints.queryOptions(), trpc.webhooks.deliveries.queryOptions({})]}
    >
      <p className="lead">
        Integrators receive <code>user.registered</code>, <code>user.email_confirmed</code> and <code>user.deleted</code> as
        signed POST requests (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>,{" "}
        <code>webhook-signature</code>; see docs/operations.md). A failed delivery is retried, then parked for you to replay; an
        endpoint that keeps failing is disabled until you enable it again. Addresses on private networks are refused.
      </p>
      <WebhooksManager />
    </PrefetchedAdminPage>
  );
}
