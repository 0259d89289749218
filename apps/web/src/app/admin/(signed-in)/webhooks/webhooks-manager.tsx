"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { DataTable } from "~/app/components/data-table";
import { formatUtc } from "~/lib/reports";
import type { AppRouter } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { LoadedList, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { ConfirmDialog, useConfirmation } from "../../components/modal-dialog";
import { RowButton } from "../../components/row-button";
import { Section } from "../../components/section";
import { CreateWebhookForm } from "./create-webhook-form";
import { WebhookDeliveries } from "./webhook-deliveries";

type EndpointRow = inferRouterOutputs<AppRouter>["webhooks"]["endpoints"][number];

const ENDPOINT_COLUMNS = ["URL", "Events", "Created", "Status", ""];

/** Add an endpoint (its secret shown once), list them with their state, enable, disable or delete one; their deliveries below. */
export function WebhooksManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhooks.endpoints.queryOptions());
  const deleting = useConfirmation<EndpointRow>();
  const refresh = () => queryClient.invalidateQueries(trpc.webhooks.pathFilter());
  const failed = (error: { data?: { code?: string } | null; message: string }) =>
    error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : error.message;

  const setEnabled = useMutation(trpc.webhooks.setEnabled.mutationOptions({ onSettled: () => void refresh() }));
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: () => {
        deleting.close();
        void refresh();
      },
      onError: (error) => deleting.setError(failed(error)),
    }),
  );
  const disabledEndpoints = endpoints.data?.filter((endpoint) => endpoint.disabledAt) ?? [];

  return (
    <>
      {disabledEndpoints.length > 0 ? (
        <div role="alert" className="alert" data-testid="disabled-endpoints">
          {disabledEndpoints.length === 1 ? "An endpoint is disabled" : `${disabledEndpoints.length} endpoints are disabled`}:{" "}
          {disabledEndpoints.map((endpoint) => endpoint.url).join(", ")}. It gets no events until you enable it; replay what it
          missed below.
        </div>
      ) : null}
      <Section id="add-endpoint-heading" title="Add an endpoint">
        <CreateWebhookForm />
      </Section>

      <Section id="endpoints-heading" title="Endpoints">
        {setEnabled.error ? <p className="alert">{failed(setEnabled.error)}</p> : null}
        <LoadedList list={endpoints} what="endpoints" empty="No endpoints yet.">
          {(rows) => (
            <DataTable caption="Webhook endpoints, newest first" columns={ENDPOINT_COLUMNS}>
              {rows.map((endpoint) => (
                <tr key={endpoint.id} data-testid="webhook-endpoint-row">
                  <td>
                    <code>{endpoint.url}</code>
                    {endpoint.description ? <div className="muted">{endpoint.description}</div> : null}
                  </td>
                  <td>{endpoint.events.join(", ")}</td>
                  <td className="nowrap">
                    {formatUtc(new Date(endpoint.createdAt))}
                    <div className="muted">{endpoint.createdBy}</div>
                  </td>
                  <td>
                    {endpoint.disabledAt ? (
                      <span className="failed">
                        Disabled {formatUtc(new Date(endpoint.disabledAt))}: {endpoint.disabledReason}
                      </span>
                    ) : (
                      <span className="verified">Active</span>
                    )}
                    {endpoint.consecutiveFailures > 0 ? (
                      <div className="muted">{endpoint.consecutiveFailures} failed attempts in a row</div>
                    ) : null}
                  </td>
                  <td className="nowrap">
                    <RowButton
                      label={endpoint.disabledAt ? "Enable" : "Disable"}
                      name={endpoint.url}
                      onClick={() => setEnabled.mutate({ id: endpoint.id, enabled: Boolean(endpoint.disabledAt) })}
                    />{" "}
                    <RowButton label="Delete" name={endpoint.url} danger onClick={() => deleting.ask(endpoint)} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </LoadedList>
      </Section>

      <WebhookDeliveries />

      {deleting.target ? (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          pending={remove.isPending}
          error={deleting.error}
          onConfirm={() => remove.mutate({ id: deleting.target?.id ?? "" })}
          onClose={deleting.close}
        >
          <p>
            <code>{deleting.target.url}</code> will get no more events, and its deliveries and their attempts are deleted with it.
            This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
