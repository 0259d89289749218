"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";

const LABELS = { resend: "Resend", replay: "Replay" } as const;

/** Resends a failed email or replays a dead-lettered one, then reloads the log. */
export function EmailAction({ action, id, email }: { action: "resend" | "replay"; id: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const mutation = useMutation(trpc.emails[action].mutationOptions({ onSuccess: () => router.refresh() }));
  const result = mutation.data;
  return (
    <>
      <button
        type="button"
        className="button secondary"
        disabled={mutation.isPending || result?.outcome === "queued"}
        onClick={() => mutation.mutate({ id })}
      >
        {LABELS[action]}
        <span className="visually-hidden"> the email to {email}</span>
      </button>
      <span role="status">
        {result?.outcome === "queued" ? " Queued." : null}
        {result?.outcome === "unchanged" ? ` Already ${result.status}.` : null}
      </span>
      {mutation.error ? (
        <span role="alert" className="report-error">
          {" "}
          {mutation.error.message}
        </span>
      ) : null}
    </>
  );
}
