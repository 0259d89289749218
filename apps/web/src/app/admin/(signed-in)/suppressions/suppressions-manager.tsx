"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { formatUtc } from "~/lib/reports";
import { SUPPRESSION_REASON_LABELS } from "~/lib/suppression-input";
import { useDebouncedValue } from "~/lib/use-debounced-value";
import type { AppRouter } from "~/server/api/root";
import { DataTable } from "~/app/components/data-table";
import { useTRPC } from "~/trpc/react";
import { LoadedList, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { ConfirmDialog, useConfirmation } from "../../components/modal-dialog";
import { RowButton } from "../../components/row-button";

type SuppressionRow = inferRouterOutputs<AppRouter>["suppressions"]["list"][number];

const COLUMNS = ["Address", "Reason", "Source event", "Since", ""];

/** The event that suppressed an address, in a few words: provider, type, and its text. */
function sourceOf(row: SuppressionRow) {
  const event = row.sourceEvent;
  if (!event) return <span className="muted">None</span>;
  return (
    <>
      {event.provider} {event.type} {formatUtc(new Date(event.occurredAt))}
      {event.detail ? <div className="muted">{event.detail}</div> : null}
    </>
  );
}

/** Search the list, see why each address is on it, and remove one with a reason. */
export function SuppressionsManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const searched = useDebouncedValue(search.trim(), 300);
  const list = useQuery(trpc.suppressions.list.queryOptions(searched ? { search: searched } : {}));
  const [reason, setReason] = useState("");
  const { target: removing, error, setError, ask, close } = useConfirmation<SuppressionRow>();

  const remove = useMutation(
    trpc.suppressions.remove.mutationOptions({
      onSuccess: () => {
        close();
        void queryClient.invalidateQueries(trpc.suppressions.list.queryFilter());
      },
      onError: (failure) =>
        setError(
          failure.data?.code === "UNAUTHORIZED"
            ? SESSION_ENDED_MESSAGE
            : failure.data?.code === "BAD_REQUEST" || failure.data?.code === "NOT_FOUND"
              ? failure.message
              : "The address could not be removed. Please try again.",
        ),
    }),
  );

  return (
    <>
      <div className="field">
        <label htmlFor="suppression-search">Search addresses</label>
        <input
          id="suppression-search"
          type="search"
          value={search}
          maxLength={254}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <LoadedList list={list} what="suppression list" empty={`No suppressed addresses${searched ? " match" : ""}.`}>
        {(rows) => (
          <DataTable caption="Suppressed addresses, newest first" columns={COLUMNS}>
            {rows.map((row) => (
              <tr key={row.address} data-testid="suppression-row">
                <td>{row.address}</td>
                <td>{SUPPRESSION_REASON_LABELS[row.reason]}</td>
                <td>{sourceOf(row)}</td>
                <td className="nowrap">{formatUtc(new Date(row.createdAt))}</td>
                <td>
                  <RowButton
                    label="Remove"
                    name={row.address}
                    danger
                    onClick={() => {
                      setReason("");
                      ask(row);
                    }}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadedList>

      {removing ? (
        <ConfirmDialog
          title="Remove from the suppression list?"
          confirmLabel="Remove address"
          pending={remove.isPending}
          error={error}
          onConfirm={() => remove.mutate({ address: removing.address, reason })}
          onClose={close}
        >
          <p>
            Emails to <strong>{removing.address}</strong> will be sent again. The reason is kept in the audit log.
          </p>
          <div className="field">
            <label htmlFor="suppression-removal-reason">Reason</label>
            <textarea
              id="suppression-removal-reason"
              value={reason}
              maxLength={500}
              required
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
