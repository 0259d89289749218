import { createEnv } from "@t3-oss/env-nextjs";
import {
  ConfigurationError,
  passwordVariables,
  publishedPasswordProblems,
  publishedSecretProblems,
} from "@userstream/runtime/env";
import { readFileVariables } from "@userstream/runtime/env-files";
import { webEnvShape } from "./config/env-shape";

// No secret has a default: the development values are in .env.example, which every process
// reads; in production a value published in the repository is refused below (published-secrets.ts).
const server = webEnvShape(process.env.NODE_ENV === "production");

/**
 * Any variable can come from a file instead (`SESSION_SECRET_FILE=/run/secrets/session`, Docker
 * secrets): read once and laid over the environment, and the `_FILE` variable dropped, so that a
 * second evaluation of this module (Next may load it in more than one bundle) sees one source.
 */
function applyFileVariables(): void {
  const names = Object.keys(server);
  Object.assign(process.env, readFileVariables(process.env, names));
  for (const name of names) delete process.env[`${name}_FILE`];
}

try {
  applyFileVariables();
} catch (error) {
  throw invalid([`  - ${(error as Error).message}`]);
}

/**
 * The web app's configuration, validated once. The only module that reads `process.env`.
 *
 * `next build` evaluates route modules to collect page data; it must work without a database or
 * broker configured, so validation is skipped in that phase (nothing connects at import time).
 * At run time `instrumentation.ts` imports this module when the server starts, so a bad or
 * missing variable stops the server at once with a readable list of what is wrong.
 */
export const env = createEnv({
  server,
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  skipValidation: process.env.NEXT_PHASE === "phase-production-build",
  onValidationError(issues) {
    const lines = issues.map((issue) => {
      const name = issue.path?.map((segment) => (typeof segment === "object" ? segment.key : segment)).join(".");
      return `  - ${name ?? "?"}: ${issue.message}`;
    });
    throw invalid(lines);
  },
});

function invalid(lines: string[]): ConfigurationError {
  return new ConfigurationError(`Invalid environment variables for the web app:\n${lines.join("\n")}\nSee .env.example.`);
}

// Production refuses the secrets the repository publishes (outside the local trial), whoever starts it.
const published = [
  ...publishedSecretProblems(env, [
    "SESSION_SECRET",
    "ADMIN_PASSWORD_HASH",
    "CONFIRMATION_TOKEN_SECRET",
    "RESEND_WEBHOOK_SECRET",
  ]),
  ...publishedPasswordProblems(env, passwordVariables(Object.keys(env))),
];
// The management API is called as a user: a URL without one would only ever be answered 401.
const management =
  env.RABBITMQ_MANAGEMENT_URL && !(env.RABBITMQ_MANAGEMENT_USER && env.RABBITMQ_MANAGEMENT_PASSWORD)
    ? [
        "RABBITMQ_MANAGEMENT_USER, RABBITMQ_MANAGEMENT_PASSWORD: both required with RABBITMQ_MANAGEMENT_URL (the password may come from RABBITMQ_MANAGEMENT_PASSWORD_FILE)",
      ]
    : [];
const problems = [...published, ...management];
if (problems.length > 0 && process.env.NEXT_PHASE !== "phase-production-build")
  throw invalid(problems.map((line) => `  - ${line}`));
