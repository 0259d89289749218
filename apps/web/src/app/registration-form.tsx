"use client";

import {
  RegistrationInputSchema,
  fieldErrors,
  type FieldErrors,
  type RegistrationField,
  type RegistrationFormValues,
} from "@userstream/contracts";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { registrationFailureMessage } from "~/lib/registration-messages";
import { Alert, FieldError, invalidWhen } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";
import { RegistrationProgress } from "./registration-progress";

const FIELDS: { name: RegistrationField; label: string; autoComplete: string; type: string }[] = [
  { name: "firstName", label: "First name", autoComplete: "given-name", type: "text" },
  { name: "lastName", label: "Last name", autoComplete: "family-name", type: "text" },
  { name: "email", label: "Email", autoComplete: "email", type: "email" },
];

const EMPTY: RegistrationFormValues = { firstName: "", lastName: "", email: "" };

/** Field errors from the shared schema: the same messages the server would send back. */
function validate(values: RegistrationFormValues): FieldErrors {
  const result = RegistrationInputSchema.safeParse(values);
  return result.success ? {} : fieldErrors(result.error);
}

export function RegistrationForm() {
  const trpc = useTRPC();
  const [values, setValues] = useState<RegistrationFormValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [registrationId, setRegistrationId] = useState<string | null>(null);
  const inputs = useRef<Partial<Record<RegistrationField, HTMLInputElement | null>>>({});

  const submit = useMutation(
    trpc.registration.submit.mutationOptions({
      onSuccess: (data) => setRegistrationId(data.registrationId),
      onError: (error) => {
        const serverFieldErrors = error.data?.fieldErrors;
        if (serverFieldErrors && Object.keys(serverFieldErrors).length > 0) {
          setErrors(serverFieldErrors);
          focusFirstInvalid(serverFieldErrors);
        } else {
          setFormError(registrationFailureMessage(error));
        }
      },
    }),
  );

  function focusFirstInvalid(found: FieldErrors) {
    const first = FIELDS.find((field) => found[field.name]);
    if (first) inputs.current[first.name]?.focus();
  }

  function onChange(name: RegistrationField, value: string) {
    const next = { ...values, [name]: value };
    setValues(next);
    // A field already marked invalid is re-checked as it is corrected. Fields are not checked on
    // blur: an error appearing there shifts the button away from the pointer mid-click.
    if (errors[name]) setErrors((current) => ({ ...current, [name]: validate(next)[name] }));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(found);
      return;
    }
    submit.mutate(values);
  }

  if (registrationId) {
    return (
      <RegistrationProgress
        registrationId={registrationId}
        onRegisterAnother={() => {
          setValues(EMPTY);
          setErrors({});
          setRegistrationId(null);
          submit.reset();
        }}
      />
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Registration">
      <Alert message={formError} />
      {FIELDS.map((field) => {
        const error = errors[field.name];
        const errorId = `${field.name}-error`;
        return (
          <div className="field" key={field.name}>
            <label htmlFor={field.name}>{field.label}</label>
            <input
              ref={(element) => {
                inputs.current[field.name] = element;
              }}
              id={field.name}
              name={field.name}
              type={field.type}
              autoComplete={field.autoComplete}
              required
              value={values[field.name]}
              {...invalidWhen(error, errorId)}
              onChange={(event) => onChange(field.name, event.target.value)}
            />
            <FieldError id={errorId} error={error} />
          </div>
        );
      })}
      <button className="button" type="submit" disabled={submit.isPending}>
        {submit.isPending ? "Registering…" : "Register"}
      </button>
    </form>
  );
}
