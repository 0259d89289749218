import { z } from "zod";

/** Letters of any script (with their combining marks), space, apostrophes, hyphen and period. */
const NAME_PATTERN = /^[\p{L}\p{M}' ’.-]+$/u;
// Control characters of every kind (C0, DEL, C1) and the Unicode line/paragraph separators.
const CONTROL_PATTERN = /[\p{Cc}\u2028\u2029]/u;
// Characters an address must never hold: quotes, white space, control characters, angle brackets.
const FORBIDDEN_EMAIL_PATTERN = /["'`\s\p{Cc}<>(),;:\\[\]]/u;
const LOCAL_PART_PATTERN = /^[a-z0-9!#$%&*+/=?^_{|}~-]+(\.[a-z0-9!#$%&*+/=?^_{|}~-]+)*$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;
export const EMAIL_LOCAL_MAX_LENGTH = 64;

function nameSchema(label: string) {
  return z
    .string({ error: `${label} is required` })
    .superRefine((value, ctx) => {
      // Checked before trimming, so that a trailing newline is reported rather than silently removed.
      if (CONTROL_PATTERN.test(value)) ctx.addIssue({ code: "custom", message: `${label} must not contain control characters` });
    })
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, `${label} is required`)
        .max(NAME_MAX_LENGTH, `${label} must be at most ${NAME_MAX_LENGTH} characters`)
        .regex(NAME_PATTERN, `${label} may contain only letters, spaces, apostrophes, hyphens and periods`),
    )
    .meta({
      description: `1–${NAME_MAX_LENGTH} letters of any script, spaces, apostrophes, hyphens and periods, once trimmed; no control characters.`,
    });
}

function emailProblem(email: string): string | undefined {
  if (email.length === 0) return "Email is required";
  if (email.length > EMAIL_MAX_LENGTH) return `Email must be at most ${EMAIL_MAX_LENGTH} characters`;
  if (FORBIDDEN_EMAIL_PATTERN.test(email)) return "Email must not contain quotes, spaces or control characters";
  const at = email.lastIndexOf("@");
  if (at <= 0 || email.indexOf("@") !== at) return "Enter an email address like name@example.com";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > EMAIL_LOCAL_MAX_LENGTH) return `The part before @ must be at most ${EMAIL_LOCAL_MAX_LENGTH} characters`;
  if (!LOCAL_PART_PATTERN.test(local) || !DOMAIN_PATTERN.test(domain)) return "Enter an email address like name@example.com";
  return undefined;
}

/** An email address: trimmed, lower-cased, at most 254 characters with a local part of at most 64. */
export const EmailSchema = z
  .string({ error: "Email is required" })
  .superRefine((value, ctx) => {
    if (CONTROL_PATTERN.test(value))
      ctx.addIssue({ code: "custom", message: "Email must not contain quotes, spaces or control characters" });
  })
  .transform((value) => value.trim().toLowerCase())
  .superRefine((email, ctx) => {
    const problem = emailProblem(email);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({
    description: `An email address of at most ${EMAIL_MAX_LENGTH} characters (${EMAIL_LOCAL_MAX_LENGTH} before the @), trimmed and lower-cased.`,
  });

/** What a person types into the registration form; the same schema validates in the browser and on the server. */
export const RegistrationInputSchema = z.object({
  firstName: nameSchema("First name"),
  lastName: nameSchema("Last name"),
  email: EmailSchema,
});
export type RegistrationInput = z.output<typeof RegistrationInputSchema>;
export type RegistrationFormValues = z.input<typeof RegistrationInputSchema>;

/**
 * A change to a stored user (admin page, `PATCH /api/v1/users/{id}`): the first name, the last
 * name or both, validated exactly like a registration. Nothing else can be changed (the email is
 * the person's identity); any other field is an error rather than silently ignored.
 */
export const UserUpdateSchema = z.strictObject(
  { firstName: nameSchema("First name").optional(), lastName: nameSchema("Last name").optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? "Only firstName and lastName can be changed" : undefined) },
);
export type UserUpdate = z.output<typeof UserUpdateSchema>;

export type RegistrationField = keyof RegistrationFormValues;
export type FieldErrors = Partial<Record<RegistrationField, string>>;

/** The first message for each field, in the `{ field: message }` shape the REST API and the form use. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors as FieldErrors;
}

/**
 * What a registration looks like from outside, in order: `queued` (accepted, not stored yet),
 * `stored`, `email_sent` (the welcome email left), `email_confirmed` (its link was opened), or
 * `email_failed` (the welcome email could not be delivered).
 *
 * `queued` also answers for ids never seen: accepting a registration does not touch the database,
 * so "not stored yet" and "unknown" cannot be told apart. A registration for an address that was
 * already registered reads `stored` and then `email_sent`, exactly like a new one, so nobody learns
 * whether an address is registered; no second email goes out (see docs/architecture.md).
 */
export const RegistrationStatusSchema = z.enum(["queued", "stored", "email_sent", "email_confirmed", "email_failed"]);
export type RegistrationStatus = z.infer<typeof RegistrationStatusSchema>;

/** `POST /api/v1/registrations` → 202: the id a registration's progress is asked by. */
export const RegistrationAcceptedSchema = z.object({ registrationId: z.uuid() });
export type RegistrationAccepted = z.infer<typeof RegistrationAcceptedSchema>;

/** `GET /api/v1/registrations/{registrationId}`: which registration. */
export const RegistrationIdInputSchema = z.object({ registrationId: z.uuid("Registration id must be a UUID") });

/** The answer to it: the registration's progress. */
export const RegistrationProgressSchema = z.object({ registrationId: z.uuid(), status: RegistrationStatusSchema });
export type RegistrationProgress = z.infer<typeof RegistrationProgressSchema>;

/**
 * The answer to "send the email again" (`POST /api/v1/registrations/{id}/send-again`): the email is
 * queued. A registration for an address already known gets the same answer, though nothing is
 * sent (as for the registration itself: no email to a known address, no hint that it is known).
 */
export const SendAgainAcceptedSchema = z.object({ registrationId: z.uuid(), outcome: z.literal("queued") });
export type SendAgainAccepted = z.infer<typeof SendAgainAcceptedSchema>;
