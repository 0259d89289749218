"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "../components/form-messages";
import { useTRPC } from "~/trpc/react";

/** Hands the JSON to the browser as a file download, without another request. */
function saveJson(data: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** The manage page's actions: download everything held, or erase the registration after a confirmation step. */
export function ManageRegistration(props: { token: string; firstName: string; maskedEmail: string; registeredOn: string }) {
  const { token } = props;
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const download = useMutation(
    trpc.dataRights.export.mutationOptions({
      onSuccess: (data) => saveJson(data, `userstream-my-data-${data.exportedAt.slice(0, 10)}.json`),
    }),
  );
  const erase = useMutation(trpc.dataRights.erase.mutationOptions());

  if (erase.isSuccess) {
    return (
      <section className="notice" aria-labelledby="manage-heading">
        <h1 id="manage-heading">Your registration is erased</h1>
        <p>
          Your name and email address are deleted. Records that an email was sent are kept without anything that identifies you.
          You will get no more email from us.
        </p>
        <p>
          <Link href="/">Go to the registration page</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice" aria-labelledby="manage-heading">
      <h1 id="manage-heading">Manage my registration</h1>
      <p>
        Hello {props.firstName}: this is the registration of <strong>{props.maskedEmail}</strong>, made on {props.registeredOn}.
      </p>
      <h2>Download my data</h2>
      <p className="muted">
        Everything we hold about you, as a JSON file: your registration, and every email we sent you and what became of it.
      </p>
      <p>
        <button
          type="button"
          className="button secondary"
          disabled={download.isPending}
          onClick={() => download.mutate({ token })}
        >
          Download my data
        </button>
      </p>
      {download.isSuccess ? <p role="status">Your data was downloaded.</p> : null}
      <Alert message={download.error?.message} />
      <h2>Erase my registration</h2>
      <p className="muted">Deletes your name and email address. This cannot be undone.</p>
      {confirming ? (
        <div role="group" aria-label="Confirm erasing">
          <p>
            <strong>Erase the registration of {props.maskedEmail} for good?</strong>
          </p>
          <p className="list-footer">
            <button
              type="button"
              className="button danger"
              disabled={erase.isPending}
              onClick={() => erase.mutate({ token, confirm: true })}
            >
              Yes, erase my registration
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </p>
        </div>
      ) : (
        <p>
          <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
            Erase my registration…
          </button>
        </p>
      )}
      <Alert message={erase.error?.message} />
    </section>
  );
}
