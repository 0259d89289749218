"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@userstream/contracts";
import { useState } from "react";
import { FieldError, invalidWhen } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";
import { SESSION_ENDED_MESSAGE } from "../../components/admin-messages";

type Field = "url" | "events" | "description";
type Errors = Partial<Record<Field | "form", string>>;

/** An endpoint: where to, which events, a note; its signing secret is shown once, right after. */
export function CreateWebhookForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);

  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (result) => {
        if (result.ok) setCreated({ url: result.endpoint.url, secret: result.secret });
        setUrl("");
        setDescription("");
        void queryClient.invalidateQueries(trpc.webhooks.endpoints.queryFilter());
      },
      onError: (error) => {
        const fields = error.data?.fieldErrors as Errors | null | undefined;
        if (fields) return setErrors(fields);
        setErrors({
          form:
            error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : "The endpoint could not be added. Please try again.",
        });
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const problems: Errors = {};
    if (!url.trim()) problems.url = "Enter the endpoint's address.";
    if (events.length === 0) problems.events = "Choose at least one event.";
    setErrors(problems);
    if (Object.keys(problems).length === 0) create.mutate({ url: url.trim(), events, description });
  }

  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((current) => WEBHOOK_EVENT_TYPES.filter((t) => (t === type ? on : current.includes(t))));
  const error = (field: Field | "form") => <FieldError id={`webhook-${field}-error`} error={errors[field]} />;

  return (
    <>
      <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="add-endpoint-heading">
        <div className="field">
          <label htmlFor="webhook-url">Endpoint URL</label>
          <input
            id="webhook-url"
            type="url"
            value={url}
            maxLength={2000}
            placeholder="https://example.com/hooks/userstream"
            autoComplete="off"
            {...invalidWhen(errors.url, "webhook-url-error")}
            onChange={(event) => setUrl(event.target.value)}
          />
          {error("url")}
        </div>
        <div className="field">
          <label htmlFor="webhook-description">Description (optional)</label>
          <input
            id="webhook-description"
            value={description}
            maxLength={200}
            {...invalidWhen(errors.description, "webhook-description-error")}
            onChange={(event) => setDescription(event.target.value)}
          />
          {error("description")}
        </div>
        <fieldset className="fieldset" aria-describedby={errors.events ? "webhook-events-error" : undefined}>
          <legend>Events</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <div className="checkbox" key={type}>
              <input
                id={`webhook-event-${type}`}
                type="checkbox"
                checked={events.includes(type)}
                onChange={(event) => toggle(type, event.target.checked)}
              />
              <label htmlFor={`webhook-event-${type}`}>
                <code>{type}</code>
              </label>
            </div>
          ))}
          {error("events")}
        </fieldset>
        {error("form")}
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add endpoint"}
        </button>
      </form>
      <div aria-live="polite" className="created-key">
        {created ? (
          <div className="notice" data-testid="new-webhook-secret">
            <h3>Endpoint {created.url} added</h3>
            <p>Copy its signing secret now: it will not be shown again.</p>
            <code className="secret">{created.secret}</code>
          </div>
        ) : null}
      </div>
    </>
  );
}
