"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { isApiKeyExpired } from "~/lib/api-keys";
import { formatUtc } from "~/lib/reports";
import type { AppRouter } from "~/server/api/root";
import { DataTable } from "~/app/components/data-table";
import { useTRPC } from "~/trpc/react";
import { LoadedList, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { ConfirmDialog, useConfirmation } from "../../components/modal-dialog";
import { RowButton } from "../../components/row-button";
import { Section } from "../../components/section";
import { CreateApiKeyForm } from "./create-api-key-form";

type ApiKeyRow = inferRouterOutputs<AppRouter>["apiKeys"]["list"][number];

const never = <span className="muted">Never</span>;
const KEY_COLUMNS = ["Name", "Key starts with", "Scopes", "Created", "Created by", "Expires", "Last used", "Status"];

/** Create a key (its secret shown once), list the keys with their scopes and expiry, revoke one after confirming. */
export function ApiKeysManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const {
    target: revoking,
    error: revokeError,
    setError: setRevokeError,
    ask: askToRevoke,
    close: closeRevoke,
  } = useConfirmation<ApiKeyRow>();
  const refresh = () => queryClient.invalidateQueries(trpc.apiKeys.list.queryFilter());

  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        closeRevoke();
        void refresh();
      },
      onError: (error) =>
        setRevokeError(
          error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : "The key could not be revoked. Please try again.",
        ),
    }),
  );

  return (
    <>
      <Section id="create-key-heading" title="Create a key">
        <CreateApiKeyForm />
      </Section>

      <Section id="keys-heading" title="Keys">
        <LoadedList list={keys} what="keys" empty="No keys yet.">
          {(rows) => (
            <DataTable caption="API keys, newest first" columns={KEY_COLUMNS}>
              {rows.map((key) => (
                <tr key={key.id} data-testid="api-key-row">
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.scopes.join(", ")}</td>
                  <td className="nowrap">{formatUtc(new Date(key.createdAt))}</td>
                  <td>{key.createdBy}</td>
                  <td className="nowrap">{key.expiresAt ? formatUtc(new Date(key.expiresAt)) : never}</td>
                  <td className="nowrap">{key.lastUsedAt ? formatUtc(new Date(key.lastUsedAt)) : never}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="muted">Revoked {formatUtc(new Date(key.revokedAt))}</span>
                    ) : isApiKeyExpired(key.expiresAt) ? (
                      <span className="muted">Expired</span>
                    ) : (
                      <>
                        <span className="verified">Active</span>{" "}
                        <RowButton label="Revoke" name={key.name} danger onClick={() => askToRevoke(key)} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </LoadedList>
      </Section>

      {revoking ? (
        <ConfirmDialog
          title="Revoke this key?"
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          error={revokeError}
          onConfirm={() => revoke.mutate({ id: revoking.id })}
          onClose={closeRevoke}
        >
          <p>
            Requests with the key <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>) will be refused from now on.
            This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
