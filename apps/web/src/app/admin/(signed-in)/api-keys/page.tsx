import type { Metadata } from "next";
import { requireAdminSession } from "~/server/auth/admin-session";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { ApiKeysManager } from "./api-keys-manager";

export const metadata: Metadata = { title: "API keys · Admin" };

export default async function ApiKeysPage() {
  await requireAdminSession();
  await prefetch(trpc.apiKeys.list.queryOptions());
  return (
    <HydrateClient>
      <h1>API keys</h1>
      <p className="lead">
        Other services send a key as <code>Authorization: Bearer &lt;key&gt;</code> to <code>/api/v1/users</code> (see{" "}
        <a href="/api/openapi.json">the OpenAPI document</a>). A key is shown once, when it is created; only its hash is kept.
      </p>
      <ApiKeysManager />
    </HydrateClient>
  );
}
