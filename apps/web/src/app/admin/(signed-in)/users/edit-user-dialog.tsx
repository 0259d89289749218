"use client";

import { UserUpdateSchema, fieldErrors, type UserListItem } from "@userstream/contracts";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, FieldError, invalidWhen } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";
import { ModalDialog } from "../../components/modal-dialog";
import { SESSION_ENDED_MESSAGE } from "../../components/admin-messages";

type Field = "firstName" | "lastName";
const FIELDS: { name: Field; label: string }[] = [
  { name: "firstName", label: "First name" },
  { name: "lastName", label: "Last name" },
];

/** Renames a user; the names are checked with the registration's rules here and on the server. */
export function EditUserDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserListItem;
  onClose: () => void;
  onSaved: (user: UserListItem) => void;
}) {
  const trpc = useTRPC();
  const [values, setValues] = useState<Record<Field, string>>({ firstName: user.firstName, lastName: user.lastName });
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});

  const save = useMutation(
    trpc.adminUsers.update.mutationOptions({
      onSuccess: onSaved,
      onError: (error) => {
        const found = error.data?.fieldErrors;
        if (found && Object.keys(found).length > 0) setErrors(found as Record<string, string>);
        else {
          const code = error.data?.code;
          setErrors({
            form:
              code === "UNAUTHORIZED"
                ? SESSION_ENDED_MESSAGE
                : code === "NOT_FOUND"
                  ? "This user no longer exists."
                  : "The names could not be saved. Please try again.",
          });
        }
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = UserUpdateSchema.safeParse(values);
    if (!result.success) {
      setErrors(fieldErrors(result.error));
      return;
    }
    setErrors({});
    save.mutate({ id: user.id, ...result.data });
  }

  return (
    <ModalDialog title="Edit user" onClose={onClose}>
      {(titleId) => (
        <form className="form" noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
          <p className="muted">{user.email}</p>
          {FIELDS.map(({ name, label }) => (
            <div className="field" key={name}>
              <label htmlFor={`edit-${name}`}>{label}</label>
              <input
                id={`edit-${name}`}
                value={values[name]}
                maxLength={200}
                autoComplete="off"
                {...invalidWhen(errors[name], `edit-${name}-error`)}
                onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
              />
              <FieldError id={`edit-${name}-error`} error={errors[name]} />
            </div>
          ))}
          <Alert message={errors.form} />
          <div className="dialog-actions">
            <button type="submit" className="button" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" className="button secondary" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
