import {
  confirmationTokenSecretSchema,
  loadEnv,
  portSchema,
  refuseVariable,
  secretHint,
  secretSchema,
} from "@userstream/runtime/env";
import { z } from "zod";
import { workerEnv } from "../lib/worker-env";
import { smtpUrlProblem } from "./providers/smtp-security";

/** `Name <address>` or a bare address, as a `{ name, address }` mailbox. */
const MailboxSchema = z
  .string()
  .transform((value) => {
    const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(value);
    return match
      ? { name: (match[1] ?? "").replace(/^"|"$/g, ""), address: match[2] ?? "" }
      : { name: "", address: value.trim() };
  })
  .pipe(z.object({ name: z.string().regex(/^[^\p{Cc}"]*$/u, "must not hold quotes or control characters"), address: z.email() }));

/** Every variable the sender reads (the deployment checks in tooling/deploy hold the manifests to it). */
export const senderEnvShape = {
  ...workerEnv,
  SENDER_PORT: portSchema(8082),
  /** Emails one sender works on at once. */
  SENDER_PREFETCH: z.coerce.number().int().min(1).max(500).default(10),
  EMAIL_PROVIDER: z.enum(["smtp", "resend"]).default("smtp"),
  /** smtp:// (STARTTLS required to another machine, when offered to this one) or smtps:// (TLS from the start), with user:password if needed. */
  SMTP_URL: z.url().default("smtp://127.0.0.1:1025"),
  /** true only for a trusted relay on a private network: smtp:// to another machine without STARTTLS. */
  SMTP_ALLOW_PLAINTEXT: z.stringbool().default(false),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /** Set to false only for a local server with a self-signed certificate. */
  SMTP_TLS_REJECT_UNAUTHORIZED: z.stringbool().default(true),
  /** PEM certificate(s) of a private CA that signed the SMTP server's certificate (or SMTP_TLS_CA_FILE). */
  SMTP_TLS_CA: z.string().includes("-----BEGIN CERTIFICATE-----", { error: "must be PEM certificates" }).optional(),
  RESEND_API_KEY: secretSchema("RESEND_API_KEY").optional(),
  /** Resend's API base; changed only to point at a stand-in in tests. */
  RESEND_BASE_URL: z.url().default("https://api.resend.com"),
  EMAIL_FROM: MailboxSchema.default({ name: "UserStream", address: "welcome@userstream.local" }),
  /** Base of the confirmation link in the welcome email. */
  APP_URL: z.url().default("http://localhost:3000"),
  // No default: the development value is in .env.example, which `npm start` and `pnpm dev` read.
  CONFIRMATION_TOKEN_SECRET: confirmationTokenSecretSchema,
  CONFIRMATION_TOKEN_TTL_HOURS: z.coerce.number().positive().default(72),
  /** How long the welcome email's "manage my registration" link works (download, erase). */
  MANAGE_TOKEN_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** How long one send may take before it counts as a temporary failure. */
  SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** How long a claimed email belongs to its sender; a claim older than this was left by a dead sender. */
  SEND_LEASE_MS: z.coerce.number().int().positive().default(120_000),
};

/** The sender's configuration, validated once at start. */
export function loadSenderEnv(source: NodeJS.ProcessEnv = process.env) {
  const env = loadEnv(senderEnvShape, source, ["CONFIRMATION_TOKEN_SECRET", "RESEND_API_KEY"]);
  if (env.EMAIL_PROVIDER === "resend" && !env.RESEND_API_KEY) {
    refuseVariable("RESEND_API_KEY", `${secretHint("RESEND_API_KEY")} (EMAIL_PROVIDER=resend)`);
  }
  const smtpProblem = env.EMAIL_PROVIDER === "smtp" ? smtpUrlProblem(env.SMTP_URL) : undefined;
  if (smtpProblem) refuseVariable("SMTP_URL", smtpProblem);
  return env;
}
export type SenderEnv = ReturnType<typeof loadSenderEnv>;
