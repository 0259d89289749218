/**
 * The attributes that tie an input to its error message (a `FieldError` with the same `errorId`)
 * while there is one: screen readers then read the message with the input.
 */
export function invalidWhen(error: string | undefined | null, errorId: string) {
  return { "aria-invalid": error ? true : undefined, "aria-describedby": error ? errorId : undefined } as const;
}

/** A field's error message, under it; nothing while there is none. */
export function FieldError({ id, error }: { id: string; error: string | undefined | null }) {
  return error ? (
    <p id={id} className="field-error">
      {error}
    </p>
  ) : null;
}

/** A message that is announced as it appears (`role="alert"`): what went wrong with the form as a whole. */
export function Alert({ message }: { message: React.ReactNode }) {
  return message ? (
    <p role="alert" className="alert">
      {message}
    </p>
  ) : null;
}
