"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, MAX_API_KEY_DAYS, type ApiKeyScope } from "~/lib/api-keys";
import { formatUtc } from "~/lib/reports";
import { FieldError, invalidWhen } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";
import { SESSION_ENDED_MESSAGE } from "../../components/admin-messages";

type Field = "name" | "scopes" | "expiresInDays";
type Errors = Partial<Record<Field | "form", string>>;

/** What the admin is shown once: the key itself, with what it may do and until when. */
interface CreatedKey {
  name: string;
  secret: string;
  scopes: ApiKeyScope[];
  expiresAt: string | null;
}

/**
 * Creates a key: its name, the scopes it gets (read only, unless more are ticked) and an optional
 * expiry in days. The secret is shown once, right after.
 */
export function CreateApiKeyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["read"]);
  const [days, setDays] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<CreatedKey | null>(null);

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ apiKey, secret }) => {
        setCreated({ name: apiKey.name, secret, scopes: apiKey.scopes, expiresAt: apiKey.expiresAt });
        setName("");
        setDays("");
        // Listed at once; the refetch then brings whatever else changed.
        queryClient.setQueryData(trpc.apiKeys.list.queryKey(), (keys) => [apiKey, ...(keys ?? [])]);
        void queryClient.invalidateQueries(trpc.apiKeys.list.queryFilter());
      },
      onError: (error) => {
        const fields = error.data?.fieldErrors as Errors | null | undefined;
        if (fields) return setErrors(fields);
        setErrors({
          form: error.data?.code === "UNAUTHORIZED" ? SESSION_ENDED_MESSAGE : "The key could not be created. Please try again.",
        });
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const problems: Errors = {};
    if (!name.trim()) problems.name = "Name is required";
    if (scopes.length === 0) problems.scopes = "Choose at least one scope";
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    // Empty: the key never expires. The server checks the number (whole days, 1 to the maximum).
    create.mutate({ name, scopes, expiresInDays: days.trim() === "" ? null : Number(days) });
  }

  function toggle(scope: ApiKeyScope, on: boolean) {
    setScopes((current) => API_KEY_SCOPES.filter((s) => (s === scope ? on : current.includes(s))));
  }

  const error = (field: Field | "form") => <FieldError id={`api-key-${field}-error`} error={errors[field]} />;
  const invalid = (field: Field) => invalidWhen(errors[field], `api-key-${field}-error`);

  return (
    <>
      <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="create-key-heading">
        <div className="field">
          <label htmlFor="api-key-name">Name (which service uses it)</label>
          <input
            id="api-key-name"
            value={name}
            maxLength={100}
            autoComplete="off"
            {...invalid("name")}
            onChange={(event) => setName(event.target.value)}
          />
          {error("name")}
        </div>
        <fieldset className="fieldset" aria-describedby={errors.scopes ? "api-key-scopes-error" : undefined}>
          <legend>Scopes (what the key may do)</legend>
          {API_KEY_SCOPES.map((scope) => (
            <div className="checkbox" key={scope}>
              <input
                id={`api-key-scope-${scope}`}
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) => toggle(scope, event.target.checked)}
              />
              <label htmlFor={`api-key-scope-${scope}`}>{API_KEY_SCOPE_LABELS[scope]}</label>
            </div>
          ))}
          {error("scopes")}
        </fieldset>
        <div className="field">
          <label htmlFor="api-key-expiry">Expires after (days)</label>
          <input
            id="api-key-expiry"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_API_KEY_DAYS}
            step={1}
            value={days}
            placeholder="Never"
            {...invalid("expiresInDays")}
            onChange={(event) => setDays(event.target.value)}
          />
          <p className="muted">Leave empty for a key that does not expire.</p>
          {error("expiresInDays")}
        </div>
        {error("form")}
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </form>
      <div aria-live="polite" className="created-key">
        {created ? (
          <div className="notice" data-testid="new-api-key">
            <h3>Key “{created.name}” created</h3>
            <p>
              Scopes: {created.scopes.join(", ")}.{" "}
              {created.expiresAt ? `Expires ${formatUtc(new Date(created.expiresAt))}.` : "Does not expire."}
            </p>
            <p>Copy it now: it is not stored and will not be shown again.</p>
            <code className="secret">{created.secret}</code>
          </div>
        ) : null}
      </div>
    </>
  );
}
