"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { REPLAYABLE_WEBHOOK_STATUSES } from "@userstream/contracts";
import { DataTable } from "~/app/components/data-table";
import { formatUtc } from "~/lib/reports";
import { useTRPC } from "~/trpc/react";
import { LoadedList, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { RowButton } from "../../components/row-button";
import { Section } from "../../components/section";

const DELIVERY_COLUMNS = ["Recorded", "Event", "Endpoint", "Status", "Attempts (status code, duration)", ""];

/** The latest deliveries, each attempt with its status code and duration; a failed or dead one can be replayed. */
export function WebhookDeliveries() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Refreshed while deliveries are under way, so the admin sees retries land.
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({}), refetchInterval: 5_000 });
  const replay = useMutation(
    trpc.webhooks.replay.mutationOptions({ onSettled: () => void queryClient.invalidateQueries(trpc.webhooks.pathFilter()) }),
  );
  const replayError = replay.error?.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : replay.error?.message;

  return (
    <Section id="deliveries-heading" title="Deliveries">
      {replayError ? <p className="alert">{replayError}</p> : null}
      <LoadedList list={deliveries} what="deliveries" empty="No deliveries yet.">
        {(rows) => (
          <DataTable caption="Webhook deliveries, newest first" columns={DELIVERY_COLUMNS}>
            {rows.map((delivery) => (
              <tr key={delivery.id} data-testid="webhook-delivery-row">
                <td className="nowrap">{formatUtc(new Date(delivery.createdAt))}</td>
                <td>
                  <code>{delivery.eventType}</code>
                </td>
                <td>
                  <code>{delivery.endpoint.url}</code>
                </td>
                <td>
                  {delivery.status}
                  {delivery.lastError ? <div className="muted">{delivery.lastError}</div> : null}
                </td>
                <td>
                  {delivery.attemptsMade.length === 0 ? <span className="muted">None yet</span> : null}
                  <ol className="attempts">
                    {delivery.attemptsMade.map((attempt) => (
                      <li key={attempt.attempt}>
                        {attempt.statusCode ?? "no answer"}, {attempt.durationMs} ms
                        {attempt.error && attempt.statusCode === null ? <span className="muted"> ({attempt.error})</span> : null}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  {REPLAYABLE_WEBHOOK_STATUSES.includes(delivery.status) ? (
                    <RowButton
                      label="Replay"
                      name={`${delivery.eventType} to ${delivery.endpoint.url}`}
                      onClick={() => replay.mutate({ id: delivery.id })}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadedList>
    </Section>
  );
}
