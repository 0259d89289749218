import { RetryDelaysMsSchema } from "@userstream/contracts";
import { readFileVariables } from "@userstream/contracts/env-files";
import { publishedSecretProblems, type SecretName } from "@userstream/contracts/published-secrets";
import { LOG_FORMATS, LOG_LEVELS } from "@userstream/messaging/logging";
import { z } from "zod";

/** Variables every worker reads. */
export const commonEnv = {
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/userstream"),
  AMQP_URL: z.url().default("amqp://guest:guest@127.0.0.1:5672"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** `auto`: readable text on a terminal outside production, JSON lines otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS).default("auto"),
  NODE_ENV: z.string().default("development"),
  /** 1: the local trial, which may run in production with the published development secrets. */
  USERSTREAM_LOCAL_TRIAL: z.string().optional(),
  /** Waits before each retry of a failed message, in milliseconds, comma-separated. */
  RETRY_DELAYS_MS: RetryDelaysMsSchema,
  /** How long graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/** A variable the process cannot run with: it exits with EXIT_CONFIG rather than be restarted. */
export class ConfigurationError extends Error {}

/**
 * Validates the environment once, at start. A bad variable stops the process with a message
 * naming it, rather than failing later somewhere less obvious. Empty values count as unset. Each
 * variable can also come from a file, `NAME_FILE` (Docker secrets). In production, the `secrets`
 * must not hold a value published in the repository.
 */
export function loadEnv<Shape extends z.ZodRawShape>(shape: Shape, source: NodeJS.ProcessEnv = process.env, secrets: readonly SecretName[] = []) {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  let values: Record<string, string | undefined>;
  try {
    values = { ...present, ...readFileVariables(present, Object.keys(shape)) };
  } catch (error) {
    throw new ConfigurationError(`Invalid environment variables:\n  ${(error as Error).message}`);
  }
  const result = z.object(shape).safeParse(values);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigurationError(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  const published = publishedSecretProblems(result.data, secrets);
  if (published.length > 0) throw new ConfigurationError(`Invalid environment variables:\n${published.map((line) => `  ${line}`).join("\n")}`);
  return result.data;
}
