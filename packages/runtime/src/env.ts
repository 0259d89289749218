import { z } from "zod";
import { readFileVariables } from "./env-files";
import { LOG_FORMATS, LOG_LEVELS } from "./logger";
import {
  passwordVariables,
  publishedPasswordProblems,
  publishedSecretProblems,
  SECRETS,
  secretHint,
  type SecretName,
} from "./published-secrets";
import { resolveFromRepoRoot } from "./repo-root";

export * from "./published-secrets";

/** A variable the process cannot run with: it exits with EXIT_CONFIG rather than be restarted. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/** By name too: a bundler (Next.js) may load this module more than once, each with its own class. */
export function isConfigurationError(error: unknown): boolean {
  return error instanceof Error && error.name === "ConfigurationError";
}

/** A TCP port to listen on; 0 picks a free one (tests). */
export function portSchema(defaultPort: number) {
  return z.coerce.number().int().min(0).max(65_535).default(defaultPort);
}

/**
 * A secret every process reads the same way: no default (the development value is in
 * `.env.example`), at least its minimum length, and a message naming the command that makes one.
 */
export function secretSchema(name: SecretName, purpose?: string) {
  const hint = secretHint(name);
  return z
    .string({ error: purpose ? `${hint}; ${purpose}` : hint })
    .min(SECRETS[name].minLength, `must be at least ${SECRETS[name].minLength} characters; ${hint}`);
}

/** Signs the welcome email's confirmation links (the sender) and checks them (the web): one value for both. */
export const confirmationTokenSecretSchema = secretSchema(
  "CONFIRMATION_TOKEN_SECRET",
  "it signs the confirmation links the sender makes",
);

/** Where the reporter writes the CSV files and the web reads them; relative paths are taken from the repository root. */
export const reportsDirSchema = z
  .string()
  .default("./reports")
  .transform((dir) => resolveFromRepoRoot(dir));

/** The variables every process reads, whatever it does. */
export const serviceEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** `auto`: readable text on a terminal outside production, JSON lines otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS).default("auto"),
  /** 1: the local trial, which may run in production with the published development secrets. */
  USERSTREAM_LOCAL_TRIAL: z.string().optional(),
  /** How long graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

function invalid(lines: string[]): ConfigurationError {
  return new ConfigurationError(`Invalid environment variables:\n${lines.map((line) => `  ${line}`).join("\n")}`);
}

/**
 * Validates the environment once, at start. A bad variable stops the process with a message
 * naming it, rather than failing later somewhere less obvious. Empty values count as unset. Each
 * variable can also come from a file, `NAME_FILE` (Docker secrets). In production, the `secrets`
 * must not hold a value published in the repository, and no URL or `*_PASSWORD` variable may hold
 * one of docker-compose.yml's development passwords.
 */
export function loadEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  source: NodeJS.ProcessEnv = process.env,
  secrets: readonly SecretName[] = [],
) {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  let values: Record<string, string | undefined>;
  try {
    values = { ...present, ...readFileVariables(present, Object.keys(shape)) };
  } catch (error) {
    throw invalid([(error as Error).message]);
  }
  const result = z.object(shape).safeParse(values);
  if (!result.success) throw invalid(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  const checked = { ...result.data, NODE_ENV: values.NODE_ENV };
  const published = [
    ...publishedSecretProblems(checked, secrets),
    ...publishedPasswordProblems(checked, passwordVariables(Object.keys(shape))),
  ];
  if (published.length > 0) throw invalid(published);
  return result.data;
}

/** Throws the ConfigurationError for one variable found wrong after validation (a combination of values). */
export function refuseVariable(name: string, problem: string): never {
  throw invalid([`${name}: ${problem}`]);
}
