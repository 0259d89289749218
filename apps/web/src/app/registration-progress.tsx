"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";

const POLL_INTERVAL_MS = 1_000;

/** "Registration accepted", then the registration's progress, polled every second until stored. */
export function RegistrationProgress({
  registrationId,
  onRegisterAnother,
}: {
  registrationId: string;
  onRegisterAnother: () => void;
}) {
  const trpc = useTRPC();
  const status = useQuery(
    trpc.registration.status.queryOptions(
      { registrationId },
      {
        refetchInterval: (query) => (query.state.data?.status === "stored" ? false : POLL_INTERVAL_MS),
        // Keep polling while the tab is in the background: the person may come back to it.
        refetchIntervalInBackground: true,
        staleTime: 0,
      },
    ),
  );
  const current = status.data?.status ?? "queued";
  const heading = useRef<HTMLHeadingElement>(null);

  // The form this replaces had focus; move it here so keyboard and screen reader users follow.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="notice" aria-labelledby="accepted-heading">
      <h2 id="accepted-heading" ref={heading} tabIndex={-1}>
        Registration accepted
      </h2>
      <p>
        Progress:{" "}
        <span className="status" data-testid="registration-status" role="status" aria-live="polite">
          {current}
        </span>
      </p>
      <p className="muted">
        {current === "stored"
          ? "You are registered. If this address is new to us, a welcome email with a confirmation link is on its way."
          : "Your registration is queued and will be stored in a moment."}
      </p>
      <p className="muted">
        Reference: <code>{registrationId}</code>
      </p>
      <div className="list-footer">
        <button type="button" className="button secondary" onClick={onRegisterAnother}>
          Register someone else
        </button>
        <Link href="/users">See all users</Link>
      </div>
    </section>
  );
}
