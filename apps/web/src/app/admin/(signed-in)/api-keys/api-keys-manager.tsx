"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { formatUtc } from "~/lib/reports";
import type { AppRouter } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { LoadError, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { ConfirmDialog } from "../../components/modal-dialog";

type ApiKeyRow = inferRouterOutputs<AppRouter>["apiKeys"]["list"][number];

const never = <span className="muted">Never</span>;

/** Create a key (its secret shown once), list the keys, revoke one after confirming. */
export function ApiKeysManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.apiKeys.list.queryFilter());

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ apiKey, secret }) => {
        setCreated({ name: apiKey.name, secret });
        setName("");
        // Listed at once; the refetch then brings whatever else changed.
        queryClient.setQueryData(trpc.apiKeys.list.queryKey(), (keys) => [apiKey, ...(keys ?? [])]);
        void refresh();
      },
      onError: (error) =>
        setNameError(
          (error.data?.fieldErrors as Record<string, string> | null | undefined)?.name ??
            (error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : "The key could not be created. Please try again."),
        ),
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void refresh();
      },
      onError: (error) =>
        setRevokeError(error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : "The key could not be revoked. Please try again."),
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    if (!name.trim()) {
      setNameError("Name is required");
      return;
    }
    setNameError(null);
    create.mutate({ name });
  }

  return (
    <>
      <section aria-labelledby="create-key-heading">
        <h2 id="create-key-heading">Create a key</h2>
        <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="create-key-heading">
          <div className="field">
            <label htmlFor="api-key-name">Name (which service uses it)</label>
            <input
              id="api-key-name"
              value={name}
              maxLength={100}
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "api-key-name-error" : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            {nameError ? (
              <p id="api-key-name-error" className="field-error">
                {nameError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </button>
        </form>
        <div aria-live="polite" className="created-key">
          {created ? (
            <div className="notice" data-testid="new-api-key">
              <h3>Key “{created.name}” created</h3>
              <p>Copy it now: it is not stored and will not be shown again.</p>
              <code className="secret">{created.secret}</code>
            </div>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        <LoadError error={keys.error} what="keys" />
        {keys.data?.length === 0 ? <p className="muted">No keys yet.</p> : null}
        {keys.data && keys.data.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">API keys, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <tr key={key.id} data-testid="api-key-row">
                    <td>{key.name}</td>
                    <td>
                      <code>{key.prefix}…</code>
                    </td>
                    <td className="nowrap">{formatUtc(new Date(key.createdAt))}</td>
                    <td>{key.createdBy}</td>
                    <td className="nowrap">{key.lastUsedAt ? formatUtc(new Date(key.lastUsedAt)) : never}</td>
                    <td>
                      {key.revokedAt ? (
                        <span className="muted">Revoked {formatUtc(new Date(key.revokedAt))}</span>
                      ) : (
                        <>
                          <span className="verified">Active</span>{" "}
                          <button
                            type="button"
                            className="link-button danger"
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(key);
                            }}
                          >
                            Revoke<span className="visually-hidden"> {key.name}</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {revoking ? (
        <ConfirmDialog
          title="Revoke this key?"
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          error={revokeError}
          onConfirm={() => revoke.mutate({ id: revoking.id })}
          onClose={() => setRevoking(null)}
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
