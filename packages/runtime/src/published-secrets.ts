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
 * The SHA-256 digests of the passwords `docker-compose.yml` gives its services by default
 * (`${..._PASSWORD:-...}`: PostgreSQL's superuser, migrator and app roles, RabbitMQ's user), which
 * then stand in the URLs the processes read. published-secrets.test.ts recomputes them from the
 * file. RabbitMQ's `guest` (in `.env.example`) is not among them: the broker itself lets `guest`
 * in over loopback only.
 */
export const PUBLISHED_PASSWORD_DIGESTS: ReadonlySet<string> = new Set([
  "01f021c10bea27a5892d5f4c2105e7f4a1ab522bf05a1180873635d4ec977dc2", // userstream-dev-password
  "033ce559f0aa758ec8a167962290aefcae781a64c4d65d26f164db8c2e263e8d", // userstream-app-dev-password
  "717f585687291e0defe0bb0f4711ac0b079c0e2495084b5eeb426d38ccc21df3", // userstream-migrator-dev-password
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

/** The variables whose values may carry a password: URLs (or comma-separated lists of them) and passwords. */
export function passwordVariables(names: readonly string[]): string[] {
  return names.filter((name) => /_(URL|PASSWORD)$/.test(name));
}

/** The password a value carries: the value itself for `*_PASSWORD`, else each URL's, percent-decoded. */
function passwordsIn(name: string, value: string): string[] {
  if (name.endsWith("_PASSWORD")) return [value];
  return value.split(",").flatMap((entry) => {
    try {
      const { password } = new URL(entry.trim());
      return password ? [decodeURIComponent(password)] : [];
    } catch {
      return []; // Not a URL: the variable's own check says so.
    }
  });
}

/**
 * The variables among `names` (see {@link passwordVariables}) holding a password docker-compose.yml
 * publishes, as `NAME: reason` lines, when the process runs in production outside the local trial:
 * a deployment that kept a development default is open to anyone who read the repository.
 */
export function publishedPasswordProblems(env: Record<string, unknown>, names: readonly string[]): string[] {
  if (env.NODE_ENV !== "production" || env[LOCAL_TRIAL_VARIABLE] === "1") return [];
  return names
    .filter((name) => {
      const value = env[name];
      return (
        typeof value === "string" &&
        passwordsIn(name, value).some((password) => PUBLISHED_PASSWORD_DIGESTS.has(secretDigest(password)))
      );
    })
    .map(
      (name) =>
        `${name}: holds a password docker-compose.yml publishes as a development default, refused in production (${LOCAL_TRIAL_VARIABLE}=1 only for a local trial on loopback); set the service's own password, e.g. one made with ${RANDOM}`,
    );
}
