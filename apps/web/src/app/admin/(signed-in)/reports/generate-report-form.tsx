"use client";

import { ReportRequestSchema, type NotificationStatus, type ReportKind, type ReportRequest } from "@userstream/contracts";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField } from "~/app/components/select-field";
import { EMAIL_STATUS_LABELS } from "~/lib/email-log-input";
import { REPORT_KIND_LABELS } from "~/lib/reports";
import { FieldError, invalidWhen } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";

interface FormValues {
  kind: ReportKind;
  registeredFrom: string;
  registeredTo: string;
  verifiedOnly: boolean;
  status: "" | NotificationStatus;
}

const INITIAL: FormValues = { kind: "users", registeredFrom: "", registeredTo: "", verifiedOnly: false, status: "" };

/** The request the form describes; empty inputs are left out (no filter). */
function toRequest(values: FormValues): unknown {
  if (values.kind === "notifications") return { kind: "notifications", filters: values.status ? { status: values.status } : {} };
  return {
    kind: "users",
    filters: {
      ...(values.registeredFrom ? { registeredFrom: values.registeredFrom } : {}),
      ...(values.registeredTo ? { registeredTo: values.registeredTo } : {}),
      ...(values.verifiedOnly ? { verifiedOnly: true } : {}),
    },
  };
}

/** Errors by input name, from the shared schema (the server checks the same). */
function validate(values: FormValues): { request?: ReportRequest; errors: Record<string, string> } {
  const result = ReportRequestSchema.safeParse(toRequest(values));
  if (result.success) return { request: result.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path.at(-1) ?? "form")] ??= issue.message;
  return { errors };
}

export function GenerateReportForm({ onQueued }: { onQueued: () => void }) {
  const trpc = useTRPC();
  const [values, setValues] = useState<FormValues>(INITIAL);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "problem" } | null>(null);

  const generate = useMutation(
    trpc.reports.generate.mutationOptions({
      onSuccess: (report) => {
        setMessage({ text: `${REPORT_KIND_LABELS[report.kind]} report queued.`, tone: "ok" });
        onQueued();
      },
      onError: (error) => {
        const code = error.data?.code;
        const text =
          code === "UNAUTHORIZED"
            ? "Your admin session has ended. Sign in again to generate reports."
            : code === "SERVICE_UNAVAILABLE"
              ? error.message
              : "The report could not be requested. Please try again.";
        setMessage({ text, tone: "problem" });
        // A report the broker refused is listed as failed: show it.
        onQueued();
      },
    }),
  );

  function update(patch: Partial<FormValues>) {
    setValues((current) => ({ ...current, ...patch }));
    setErrors({});
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    const { request, errors: found } = validate(values);
    setErrors(found);
    if (request) generate.mutate(request);
  }

  const fieldError = (name: string) => <FieldError id={`${name}-error`} error={errors[name]} />;
  /** A date input of the users report's filters, with its error. */
  const dateField = (name: "registeredFrom" | "registeredTo", label: string) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        type="date"
        value={values[name]}
        {...invalidWhen(errors[name], `${name}-error`)}
        onChange={(event) => update({ [name]: event.target.value })}
      />
      {fieldError(name)}
    </div>
  );

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Generate a report">
      <SelectField
        id="report-kind"
        label="Report"
        options={REPORT_KIND_LABELS}
        value={values.kind}
        onChange={(event) => update({ kind: event.target.value as ReportKind })}
      />
      <fieldset className="fieldset">
        <legend>Filters</legend>
        {values.kind === "users" ? (
          <>
            {dateField("registeredFrom", "Registered from")}
            {dateField("registeredTo", "Registered to")}
            <div className="checkbox">
              <input
                id="verifiedOnly"
                type="checkbox"
                checked={values.verifiedOnly}
                onChange={(event) => update({ verifiedOnly: event.target.checked })}
              />
              <label htmlFor="verifiedOnly">Verified emails only</label>
            </div>
          </>
        ) : (
          <SelectField
            id="notificationStatus"
            label="Email status"
            any="Any"
            options={EMAIL_STATUS_LABELS}
            value={values.status}
            onChange={(event) => update({ status: event.target.value as FormValues["status"] })}
          />
        )}
      </fieldset>
      {fieldError("form")}
      <button className="button" type="submit" disabled={generate.isPending}>
        {generate.isPending ? "Requesting…" : "Generate report"}
      </button>
      {/* Always present, so that assistive technology notices when a message appears in it. */}
      <div aria-live="polite">
        {message ? <p className={message.tone === "problem" ? "alert" : "notice-line"}>{message.text}</p> : null}
      </div>
    </form>
  );
}
