"use client";

import type { RegistrationStatus } from "@userstream/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { SendAgainButton } from "./send-again-button";

// Storing takes a moment: poll briskly. Confirming waits for a person to open an email: poll
// slowly, and give up after a while rather than poll an abandoned tab forever.
const FAST_POLL_MS = 1_000;
const SLOW_POLL_MS = 3_000;
const POLL_LIMIT_MS = 5 * 60_000;

const STEPS = ["queued", "stored", "email_sent", "email_confirmed"] as const;

const LABELS: Record<RegistrationStatus, string> = {
  queued: "queued",
  stored: "stored",
  email_sent: "email sent",
  email_confirmed: "email confirmed",
  email_failed: "email failed",
};

const EXPLANATIONS: Record<RegistrationStatus, string> = {
  queued: "Your registration is queued and will be stored in a moment.",
  stored: "You are registered. The welcome email is being sent.",
  // Also what a repeated address reads (no second email goes out), so it must not promise one.
  email_sent:
    "You are registered. A welcome email with a confirmation link has been sent, unless this address was " +
    "registered before: then no second email is sent. Open the link to confirm your address.",
  email_confirmed: "Your email address is confirmed. Thank you!",
  email_failed: "You are registered, but we could not deliver the welcome email to this address.",
};

function isFinal(status: RegistrationStatus | undefined): boolean {
  return status === "email_confirmed" || status === "email_failed";
}

/** "Registration accepted", then the registration's progress through the steps, polled until final. */
export function RegistrationProgress({
  registrationId,
  onRegisterAnother,
}: {
  registrationId: string;
  onRegisterAnother: () => void;
}) {
  const trpc = useTRPC();
  // Each round of polling lasts POLL_LIMIT_MS; "Check again" starts a new one.
  const [pollRound, setPollRound] = useState(0);
  const [pollingStopped, setPollingStopped] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPollingStopped(true), POLL_LIMIT_MS);
    return () => clearTimeout(timer);
  }, [pollRound]);

  const status = useQuery(
    trpc.registration.status.queryOptions(
      { registrationId },
      {
        refetchInterval: (query) => {
          const current = query.state.data?.status;
          if (pollingStopped || isFinal(current)) return false;
          return current === "email_sent" ? SLOW_POLL_MS : FAST_POLL_MS;
        },
        // Keep polling while the tab is in the background: the person is likely reading the email.
        refetchIntervalInBackground: true,
        staleTime: 0,
      },
    ),
  );
  const current = status.data?.status ?? "queued";
  const heading = useRef<HTMLHeadingElement>(null);

  // The form this replaces had focus; move it here so keyboard and screen reader users follow.
  useEffect(() => heading.current?.focus(), []);

  const failed = current === "email_failed";
  // A failed email takes the place of "email sent" in the steps.
  const reached = failed ? STEPS.indexOf("email_sent") : STEPS.indexOf(current);
  const stepClass = (index: number) => {
    if (index < reached || (index === reached && current === "email_confirmed")) return "done";
    if (index === reached) return failed ? "failed" : "current";
    return undefined;
  };

  return (
    <section className="notice" aria-labelledby="accepted-heading">
      <h2 id="accepted-heading" ref={heading} tabIndex={-1}>
        Registration accepted
      </h2>
      <ol className="steps" aria-label="Progress steps">
        {STEPS.map((step, index) => (
          <li key={step} className={stepClass(index)} aria-current={index === reached ? "step" : undefined}>
            {failed && index === reached ? LABELS.email_failed : LABELS[step]}
          </li>
        ))}
      </ol>
      <p>
        Progress:{" "}
        <span className={failed ? "status failed" : "status"} data-testid="registration-status" role="status" aria-live="polite">
          {LABELS[current]}
        </span>
      </p>
      <p className="muted">{EXPLANATIONS[current]}</p>
      {/* Kept while the email is sent again ("stored" meanwhile), so its answer stays in view. */}
      {current !== "queued" && current !== "email_confirmed" ? (
        <SendAgainButton
          registrationId={registrationId}
          onSent={() => {
            // Follow the email again: it is queued, then sent.
            setPollingStopped(false);
            setPollRound((round) => round + 1);
            void status.refetch();
          }}
        />
      ) : null}
      {pollingStopped && !isFinal(current) ? (
        <p className="muted">
          We stopped checking for updates.{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setPollingStopped(false);
              setPollRound((round) => round + 1);
              void status.refetch();
            }}
          >
            Check again
          </button>
        </p>
      ) : null}
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
