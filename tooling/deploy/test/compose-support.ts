/**
 * What the compose checks share: compose run without an engine (`config`), the production
 * environment an operator provides, and readers of the parsed configuration.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll } from "vitest";
import { parse } from "yaml";
import { root } from "./start-support";

const run = promisify(execFile);
// Debian's docker-compose (reads the compose spec without an engine), or the Docker CLI plugin.
const compose = spawnSync("docker-compose", ["version"]).status === 0 ? ["docker-compose"] : ["docker", "compose"];

/** The operator's secret files: one per Docker secret of compose.prod.yml, named by its variable. */
const secretsDir = mkdtempSync(join(tmpdir(), "userstream-compose-secrets-"));
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));
export const SECRET_FILES = Object.fromEntries(
  [
    "POSTGRES_PASSWORD",
    "DATABASE_ADMIN_URL",
    "MIGRATOR_DATABASE_URL",
    "DATABASE_URL",
    "RABBITMQ_PASSWORD",
    "AMQP_URL",
    "SESSION_SECRET",
    "CONFIRMATION_TOKEN_SECRET",
    "ADMIN_PASSWORD_HASH",
    "SMTP_URL",
  ].map((name) => {
    const path = join(secretsDir, name.toLowerCase());
    writeFileSync(path, `${name.toLowerCase()} from the operator\n`);
    return [`${name}_FILE`, path];
  }),
);

/** The values a production deployment must provide (compose.prod.yml refuses to start without them). */
export const PRODUCTION_ENV: Record<string, string> = {
  POSTGRES_USER: "us_prod",
  RABBITMQ_USER: "us_broker",
  APP_URL: "https://userstream.example.com",
  ADMIN_EMAIL: "ops@example.com",
  EMAIL_PROVIDER: "smtp",
  EMAIL_FROM: "UserStream <welcome@example.com>",
  ...SECRET_FILES,
  // SMTP is the provider: no Resend key.
  RESEND_API_KEY_FILE: "/dev/null",
};
export const COMBINATIONS = {
  // `docker compose up`: docker-compose.yml and docker-compose.override.yml, read by default.
  development: { files: [], env: {} },
  production: { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV },
  "production with the dev profile": { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV, profile: "dev" },
};

/** What the services are, and what the migrate service is: roles.sql's two roles. */
export const APP_ROLE = "userstream_app";
export const MIGRATOR_ROLE = "userstream_migrator";
export const APP_SERVICES = ["web", "api", "receiver", "sender", "reporter"];
/** Variables that hold a secret: in production never a value, only a file. */
export const SECRET_VARIABLES =
  /^(DATABASE_URL|DATABASE_ADMIN_URL|DATABASE_APP_URL|AMQP_URL|SESSION_SECRET|CONFIRMATION_TOKEN_SECRET|ADMIN_PASSWORD_HASH|SMTP_URL|RESEND_API_KEY|RESEND_WEBHOOK_SECRET|RABBITMQ_MANAGEMENT_PASSWORD|POSTGRES_PASSWORD|RABBITMQ_DEFAULT_PASS)$/;

interface Port {
  host?: string;
  published?: number;
  target: number;
}
export interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { published?: number | string; target: number; host_ip?: string })[];
  volumes?: string[];
  networks?: Record<string, unknown>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  container_name?: string;
  secrets?: { source: string }[];
  entrypoint?: string[];
}
export interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
  networks: Record<string, { name?: string }>;
}

/** The user's environment minus anything compose would interpolate, plus `extra`. */
function composeEnv(extra: Record<string, string>) {
  const names =
    /^(POSTGRES|RABBITMQ|APP_URL|CONFIRMATION|ADMIN|SESSION|EMAIL|SMTP|RESEND|REPORT|LOG_LEVEL|COMPOSE|DATABASE|MIGRATOR|AMQP|TRUSTED)/;
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.test(name)));
  return { ...base, ...extra };
}

export async function composeConfig(files: string[], env: Record<string, string>, profile?: string, quiet = false) {
  const args = [
    ...files.flatMap((file) => ["-f", file]),
    ...(profile ? ["--profile", profile] : []),
    "config",
    ...(quiet ? ["-q"] : []),
  ];
  const [command = "docker-compose", ...prefix] = compose;
  return run(command, [...prefix, ...args], { cwd: root, env: composeEnv(env) });
}

export function ports(service: Service): Port[] {
  // An empty host port (`127.0.0.1::8081`) is an ephemeral one, as is none.
  const hostPort = (value: number | string | undefined) => (value === undefined || value === "" ? undefined : Number(value));
  return (service.ports ?? []).map((port) => {
    if (typeof port === "object") return { host: port.host_ip, published: hostPort(port.published), target: port.target };
    const parts = port.replace(/\/\w+$/, "").split(":");
    const target = Number(parts.at(-1));
    if (parts.length === 1) return { target };
    return { host: parts.length === 3 ? parts[0] : undefined, published: hostPort(parts.at(-2)), target };
  });
}

/** The development and production configurations, as compose reads them, parsed before the file's tests. */
export function useComposeConfigs() {
  const configs = {} as { dev: Compose; prod: Compose };
  beforeAll(async () => {
    configs.dev = parse((await composeConfig(COMBINATIONS.development.files, {})).stdout) as Compose;
    configs.prod = parse((await composeConfig(COMBINATIONS.production.files, PRODUCTION_ENV)).stdout) as Compose;
  });
  return configs;
}

/**
 * The host file behind `service`'s `NAME_FILE`: the variable names /run/secrets/<secret>, a secret
 * mounted into the service, whose top-level `file` is the operator's. Undefined when any link is missing.
 */
export function secretFile(config: Compose, service: string, name: string): string | undefined {
  const path = config.services[service]?.environment?.[`${name}_FILE`];
  const secret = /^\/run\/secrets\/(\w+)$/.exec(path ?? "")?.[1];
  if (!secret || !config.services[service]?.secrets?.some((mounted) => mounted.source === secret)) return undefined;
  return config.secrets?.[secret]?.file;
}
