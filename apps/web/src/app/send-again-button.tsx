"use client";

import { useMutation } from "@tanstack/react-query";
import { Alert } from "./components/form-messages";
import { useTRPC } from "~/trpc/react";

/**
 * "Send the email again", under a registration's progress once its welcome email has left (or
 * failed). The server keeps the limits (per address and per network, docs/architecture.md) and says
 * when the next request may be made; the button only shows what it answered.
 */
export function SendAgainButton({ registrationId, onSent }: { registrationId: string; onSent: () => void }) {
  const trpc = useTRPC();
  const sendAgain = useMutation(trpc.registration.sendAgain.mutationOptions({ onSuccess: onSent }));
  return (
    <div className="send-again">
      <p className="muted">
        No email?{" "}
        <button
          type="button"
          className="link-button"
          disabled={sendAgain.isPending}
          onClick={() => sendAgain.mutate({ registrationId })}
        >
          Send the email again
        </button>
      </p>
      {sendAgain.isSuccess ? (
        <p role="status" className="muted">
          The welcome email is on its way again. Please look in your mailbox (and its spam folder).
        </p>
      ) : null}
      <Alert message={sendAgain.error?.message} />
    </div>
  );
}
