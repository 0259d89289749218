import type { Metadata } from "next";
import { env } from "~/env";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { SuppressionsManager } from "./suppressions-manager";

export const metadata: Metadata = { title: "Suppression list · Admin" };

export default function SuppressionsPage() {
  const softBounces = env.SUPPRESS_AFTER_SOFT_BOUNCES;
  return (
    <PrefetchedAdminPage title="Suppression list" queries={[trpc.suppressions.list.queryOptions({})]}>
      <p className="lead">
        No email is sent to these addresses: a hard bounce or a complaint puts an address here at once,
        {softBounces === "off" ? " soft bounces never do" : ` and ${softBounces} soft bounces do`}. The sender records such an
        email as suppressed instead of sending it. Remove an address, with the reason, once it can receive email again.
      </p>
      <SuppressionsManager />
    </PrefetchedAdminPage>
  );
}
