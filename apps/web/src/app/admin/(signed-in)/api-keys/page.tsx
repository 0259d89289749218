import type { Metadata } from "next";
import { env } from "~/env";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { ApiKeysManager } from "./api-keys-manager";

export const metadata: Metadata = { title: "API keys · Admin" };

export default function ApiKeysPage() {
  return (
    <PrefetchedAdminPage title="API keys" queries={[trpc.apiKeys.list.queryOptions()]}>
      <p className="lead">
        Other services send a key as <code>Authorization: Bearer &lt;key&gt;</code> to <code>/api/v1/users</code> (see{" "}
        <a href="/api/openapi.json">the OpenAPI document</a>). A key may do only what its scopes allow (a request outside them is
        refused with 403), until it expires or is revoked, and at most{" "}
        {env.API_KEY_RATE_LIMIT === "off" ? "any number of" : env.API_KEY_RATE_LIMIT} requests a minute. A key is shown once, when
        it is created; only its hash is kept.
      </p>
      <ApiKeysManager />
    </PrefetchedAdminPage>
  );
}
