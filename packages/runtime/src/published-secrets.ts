import { createHash } from "node:crypto";

/**
 * The SHA-256 digests of every secret value the repository publishes: the development values in
 * `.env.example` and the defaults in `docker-compose.yml` (published-secrets.test.ts recomputes
 * them from both files, so this list cannot drift). Digests, not the values: this module ships in
 * every image, where `.env.example` may be absent, and a list of the values themselves would be one
 * more copy of each secret in code, ready to be used as a default again.
 */
export const PUBLISHED_SECRET_DIGESTS: ReadonlySet<string> = new Set([
  "3788d792fae7679af7dd1e23817494690caf7749ad249a31b8645779c0c2b99e", // SESSION_SECRET
  "764d685e3ec3d7f6658d73f27844e30a817c319532b917d0b2846a6b46fabee9", // CONFIRMATION_TOKEN_SECRET
  "b5db459daa59acd80616dd17db57ad8e80ccddb096915634f8be577d1106acf5", // ADMIN_PASSWORD_HASH (password `userstream-admin`)
  "1383149d33ba0ca5c86590e76dd556e0847a97a7fe10aefd7b8dbb1c8e7b3bb8", // RESEND_WEBHOOK_SECRET
]);

/**
 * Set to 1 by `npm start` (every process on loopback) and by `docker-compose.yml` without the
 * production file (ports published on 127.0.0.1 only): the local trial, which runs the production
 * build with the published development secrets. Nothing else sets it; docs/operations.md.
 */
export const LOCAL_TRIAL_VARIABLE = "USERSTREAM_LOCAL_TRIAL";

const RANDOM = "`openssl rand -base64 48`";

/** Every secret a process reads: how long it must be, and how to make a good one. */
export const SECRETS = {
  SESSION_SECRET: { minLength: 32, generate: RANDOM },
  CONFIRMATION_TOKEN_SECRET: { minLength: 32, generate: `${RANDOM} (the same value for the web and the sender)` },
  ADMIN_PASSWORD_HASH: { minLength: 32, generate: "`pnpm --filter @userstream/web admin:hash-password`" },
  RESEND_API_KEY: { minLength: 20, generate: "an API key made at https://resend.com/api-keys" },
  RESEND_WEBHOOK_SECRET: { minLength: 30, generate: "the signing secret of the webhook made at https://resend.com/webhooks" },
} as const;
export type SecretName = keyof typeof SECRETS;

export function secretDigest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** The message for a secret that is missing or too short: its name's rule and the command that makes one. */
export function secretHint(name: SecretName): string {
  return `required: ${SECRETS[name].minLength}+ characters; make one with ${SECRETS[name].generate}`;
}

/**
 * The secrets among `names` that hold a published value, as `NAME: reason` lines, when the process
 * runs in production outside the local trial (elsewhere the development values are the point).
 * Missing and short values are the schema's to refuse, with `secretHint`.
 */
export function publishedSecretProblems(env: Record<string, unknown>, names: readonly SecretName[]): string[] {
  if (env.NODE_ENV !== "production" || env[LOCAL_TRIAL_VARIABLE] === "1") return [];
  return names
    .filter((name) => typeof env[name] === "string" && PUBLISHED_SECRET_DIGESTS.has(secretDigest(env[name])))
    .map(
      (name) =>
        `${name}: is a development value published in the repository, refused in production (${LOCAL_TRIAL_VARIABLE}=1 only for a local trial on loopback); make one with ${SECRETS[name].generate}`,
    );
}
