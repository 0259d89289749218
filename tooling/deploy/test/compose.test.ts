import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const run = promisify(execFile);
// Debian's docker-compose (reads the compose spec without an engine), or the Docker CLI plugin.
const compose = spawnSync("docker-compose", ["version"]).status === 0 ? ["docker-compose"] : ["docker", "compose"];
const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The operator's secret files: one per Docker secret of compose.prod.yml, named by its variable. */
const secretsDir = mkdtempSync(join(tmpdir(), "userstream-compose-secrets-"));
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));
const SECRET_FILES = Object.fromEntries(
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
const PRODUCTION_ENV: Record<string, string> = {
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
const COMBINATIONS = {
  // `docker compose up`: docker-compose.yml and docker-compose.override.yml, read by default.
  development: { files: [], env: {} },
  production: { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV },
  "production with the dev profile": { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV, profile: "dev" },
};

/** What the services are, and what the migrate service is: roles.sql's two roles. */
const APP_ROLE = "userstream_app";
const MIGRATOR_ROLE = "userstream_migrator";
const APP_SERVICES = ["web", "api", "receiver", "sender", "reporter"];
/** Variables that hold a secret: in production never a value, only a file. */
const SECRET_VARIABLES = /^(DATABASE_URL|DATABASE_ADMIN_URL|DATABASE_APP_URL|AMQP_URL|SESSION_SECRET|CONFIRMATION_TOKEN_SECRET|ADMIN_PASSWORD_HASH|SMTP_URL|RESEND_API_KEY|RESEND_WEBHOOK_SECRET|RABBITMQ_MANAGEMENT_PASSWORD|POSTGRES_PASSWORD|RABBITMQ_DEFAULT_PASS)$/;

interface Port {
  host?: string;
  published?: number;
  target: number;
}
interface Service {
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
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
  networks: Record<string, { name?: string }>;
}

/** The user's environment minus anything compose would interpolate, plus `extra`. */
function composeEnv(extra: Record<string, string>) {
  const names = /^(POSTGRES|RABBITMQ|APP_URL|CONFIRMATION|ADMIN|SESSION|EMAIL|SMTP|RESEND|REPORT|LOG_LEVEL|COMPOSE|DATABASE|MIGRATOR|AMQP|TRUSTED)/;
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.test(name)));
  return { ...base, ...extra };
}

async function composeConfig(files: string[], env: Record<string, string>, profile?: string, quiet = false) {
  const args = [...files.flatMap((file) => ["-f", file]), ...(profile ? ["--profile", profile] : []), "config", ...(quiet ? ["-q"] : [])];
  const [command = "docker-compose", ...prefix] = compose;
  return run(command, [...prefix, ...args], { cwd: root, env: composeEnv(env) });
}

function ports(service: Service): Port[] {
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

/** The last stage of a Dockerfile (what the service runs unless the build names a target). */
function finalStage(dockerfile: string, target?: string): string {
  const text = readFileSync(`${root}${dockerfile}`, "utf8");
  const stages = text.split(/^FROM /m).slice(1);
  const stage = target ? stages.find((s) => new RegExp(`^\\S+ AS ${target}\\s*\\n`).test(s)) : stages.at(-1);
  if (!stage) throw new Error(`no stage ${target ?? "(last)"} in ${dockerfile}`);
  return stage;
}

describe.each(Object.entries(COMBINATIONS))("docker-compose config (%s)", (_, combination) => {
  it("is a valid compose file", async () => {
    const profile = "profile" in combination ? combination.profile : undefined;
    await expect(composeConfig(combination.files, combination.env, profile, true)).resolves.toBeDefined();
  });
});

describe("the compose deployment", () => {
  let dev: Compose;
  let prod: Compose;
  beforeAll(async () => {
    dev = parse((await composeConfig(COMBINATIONS.development.files, {})).stdout) as Compose;
    prod = parse((await composeConfig(COMBINATIONS.production.files, PRODUCTION_ENV)).stdout) as Compose;
  });

  it("runs the seed's services, a mail catcher and a one-shot migration", () => {
    expect(Object.keys(dev.services).sort()).toEqual(
      ["api", "mailpit", "migrate", "postgres", "rabbitmq", "receiver", "reporter", "sender", "web"].sort(),
    );
    expect(dev.services.web?.build?.dockerfile).toBe("apps/web/Dockerfile");
    expect(dev.services.api?.build?.dockerfile).toBe("apps/web/Dockerfile");
    expect(dev.services.api?.build?.target).toBe("api");
    for (const role of ["receiver", "sender", "reporter"]) {
      expect(dev.services[role]?.build?.dockerfile).toBe("apps/workers/Dockerfile");
      expect(dev.services[role]?.command).toEqual([role]);
    }
    expect(dev.services.migrate?.build?.target).toBe("migrate");
  });

  it("in development publishes the seed's ports on the host's loopback; the scaled receiver and sender on ephemeral ports", () => {
    const published = (name: string) => ports(dev.services[name] ?? {}).map((port) => `${port.published ?? "-"}:${port.target}`);
    expect(published("web")).toEqual(["3000:3000"]);
    expect(published("api")).toEqual(["8083:8083"]);
    expect(published("reporter")).toEqual(["8084:8084"]);
    expect(published("rabbitmq").sort()).toEqual(["15672:15672", "5672:5672"]);
    expect(published("postgres")).toEqual(["5432:5432"]);
    // `--scale receiver=3 --scale sender=2` needs no fixed host port and no fixed container name.
    expect(published("receiver")).toEqual(["-:8081"]);
    expect(published("sender")).toEqual(["-:8082"]);
    for (const name of ["receiver", "sender"]) expect(dev.services[name]?.container_name).toBeUndefined();
    // Every port is reachable from the host's loopback only: the local trial runs with the
    // published development secrets (USERSTREAM_LOCAL_TRIAL), which production clears.
    for (const [name, service] of Object.entries(dev.services)) {
      for (const port of ports(service)) expect(`${name} ${port.host}`).toBe(`${name} 127.0.0.1`);
    }
    for (const name of ["web", "api", "sender"]) expect(dev.services[name]?.environment?.USERSTREAM_LOCAL_TRIAL).toBe("1");
  });

  it("in production publishes the web and the API on loopback only, for the reverse proxy; no database, broker or metrics port", () => {
    const published = Object.entries(prod.services)
      .filter(([, service]) => !service.profiles?.includes("dev"))
      .flatMap(([name, service]) => ports(service).map((port) => `${name} ${port.host}:${port.published}:${port.target}`));
    expect(published.sort()).toEqual(["api 127.0.0.1:8083:8083", "web 127.0.0.1:3000:3000"]);
    // The forwarded client address is believed from the proxies named, never by counting hops.
    for (const config of [dev, prod]) {
      for (const name of ["web", "api"]) {
        expect(config.services[name]?.environment, name).toHaveProperty("TRUSTED_PROXIES");
        expect(config.services[name]?.environment, name).not.toHaveProperty("TRUSTED_PROXY_HOPS");
      }
    }
    expect(prod.services.web?.environment?.TRUSTED_PROXIES).toBe("");
  });

  it("keeps data in the three named volumes", () => {
    expect(Object.keys(dev.volumes).sort()).toEqual(["postgres_data", "rabbitmq_data", "reports_data"]);
    expect(dev.services.postgres?.volumes).toContainEqual(expect.stringMatching(/^postgres_data:\/var\/lib\/postgresql\/data/));
    expect(dev.services.rabbitmq?.volumes).toContainEqual(expect.stringMatching(/^rabbitmq_data:\/var\/lib\/rabbitmq/));
    // The reporter writes the reports where the web (and the API instance) serve them from.
    for (const name of ["reporter", "web", "api"]) {
      expect(dev.services[name]?.volumes).toContainEqual(expect.stringMatching(/^reports_data:\/data\/reports/));
      expect(dev.services[name]?.environment?.REPORTS_DIR).toBe("/data/reports");
    }
  });

  it("puts every service on userstream-network", () => {
    expect(dev.networks["userstream-network"]?.name).toBe("userstream-network");
    for (const [name, service] of Object.entries(dev.services)) {
      expect(Object.keys(service.networks ?? {}), name).toEqual(["userstream-network"]);
    }
  });

  it("has a health check for every long-running service, and the app waits for healthy dependencies and migrations", () => {
    for (const name of ["postgres", "rabbitmq", "mailpit"]) expect(dev.services[name]?.healthcheck?.test, name).toBeDefined();
    for (const name of ["web", "api", "receiver", "sender", "reporter"]) {
      const service = dev.services[name];
      const build = service?.build;
      if (!build) throw new Error(`${name} has no build`);
      expect(finalStage(build.dockerfile, build.target), name).toMatch(/^HEALTHCHECK [^\n]*(\\\n[^\n]*)*CMD \[/m);
      expect(service.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        rabbitmq: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
    expect(dev.services.migrate?.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it("uses no default credentials: no guest on RabbitMQ, no postgres user, in development and production", () => {
    for (const config of [dev, prod]) {
      const rabbit = config.services.rabbitmq?.environment ?? {};
      expect(rabbit.RABBITMQ_DEFAULT_USER).not.toBe("guest");
      expect(rabbit.RABBITMQ_DEFAULT_PASS).not.toBe("guest");
      expect(config.services.postgres?.environment?.POSTGRES_USER).not.toBe("postgres");
      expect(config.services.postgres?.environment?.POSTGRES_PASSWORD).not.toMatch(/^(postgres|password)$/);
      for (const [name, service] of Object.entries(config.services)) {
        const env = service.environment ?? {};
        if (env.AMQP_URL) expect(new URL(env.AMQP_URL).username, name).toBe(rabbit.RABBITMQ_DEFAULT_USER);
      }
    }
    expect(dev.services.postgres?.environment?.POSTGRES_PASSWORD).not.toBe("");
  });

  it("runs the services as the row-only role and migrations as the schema's owner, both made by the migrate service", () => {
    // The two roles packages/db/sql/roles.sql creates.
    const script = readFileSync(`${root}packages/db/sql/roles.sql`, "utf8");
    expect([...script.matchAll(/CREATE ROLE (\w+)/g)].map((match) => match[1])).toEqual([MIGRATOR_ROLE, APP_ROLE]);

    const user = (url: string | undefined) => new URL(url ?? "").username;
    for (const name of APP_SERVICES) expect(user(dev.services[name]?.environment?.DATABASE_URL), name).toBe(APP_ROLE);
    const migrate = dev.services.migrate?.environment ?? {};
    expect(user(migrate.DATABASE_URL)).toBe(MIGRATOR_ROLE);
    // The superuser made by the postgres image creates the roles and sets their passwords: the app's from the services' URL.
    expect(user(migrate.DATABASE_ADMIN_URL)).toBe(dev.services.postgres?.environment?.POSTGRES_USER);
    expect(migrate.DATABASE_APP_URL).toBe(dev.services.web?.environment?.DATABASE_URL);
    expect(new URL(migrate.DATABASE_APP_URL ?? "").password).not.toBe(new URL(migrate.DATABASE_ADMIN_URL ?? "").password);

    // Production: the same, each URL a secret of the operator's.
    for (const name of APP_SERVICES) expect(secretFile(prod, name, "DATABASE_URL"), name).toBe(PRODUCTION_ENV.DATABASE_URL_FILE);
    expect(secretFile(prod, "migrate", "DATABASE_URL")).toBe(PRODUCTION_ENV.MIGRATOR_DATABASE_URL_FILE);
    expect(secretFile(prod, "migrate", "DATABASE_ADMIN_URL")).toBe(PRODUCTION_ENV.DATABASE_ADMIN_URL_FILE);
    expect(secretFile(prod, "migrate", "DATABASE_APP_URL")).toBe(PRODUCTION_ENV.DATABASE_URL_FILE);
    expect(secretFile(prod, "postgres", "POSTGRES_PASSWORD")).toBe(PRODUCTION_ENV.POSTGRES_PASSWORD_FILE);
  });

  it("in production hands every secret over as a Docker secret file, and runs no mail catcher", () => {
    for (const [name, service] of Object.entries(prod.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        // A secret's variable is cleared; its NAME_FILE is a secret mounted into this service.
        if (SECRET_VARIABLES.test(variable)) expect(`${name} ${variable}=${value}`).toBe(`${name} ${variable}=`);
        if (variable.endsWith("_FILE")) expect(secretFile(prod, name, variable.slice(0, -"_FILE".length)), `${name} ${variable}`).toBeDefined();
      }
    }
    const web = { SESSION_SECRET: "SESSION_SECRET", CONFIRMATION_TOKEN_SECRET: "CONFIRMATION_TOKEN_SECRET", ADMIN_PASSWORD_HASH: "ADMIN_PASSWORD_HASH", AMQP_URL: "AMQP_URL", RABBITMQ_MANAGEMENT_PASSWORD: "RABBITMQ_PASSWORD" };
    for (const name of ["web", "api"]) {
      for (const [variable, secret] of Object.entries(web)) expect(secretFile(prod, name, variable), `${name} ${variable}`).toBe(PRODUCTION_ENV[`${secret}_FILE`]);
    }
    expect(secretFile(prod, "sender", "SMTP_URL")).toBe(PRODUCTION_ENV.SMTP_URL_FILE);
    expect(secretFile(prod, "sender", "RESEND_API_KEY")).toBe("/dev/null");
    expect(secretFile(prod, "sender", "CONFIRMATION_TOKEN_SECRET")).toBe(PRODUCTION_ENV.CONFIRMATION_TOKEN_SECRET_FILE);
    // RabbitMQ's image reads no _FILE variable: its entry point reads the secret.
    expect(prod.services.rabbitmq?.entrypoint?.join(" ")).toMatch(/RABBITMQ_DEFAULT_PASS="\$+\(cat \/run\/secrets\/rabbitmq_password\)" exec docker-entrypoint.sh rabbitmq-server/);
    expect(prod.secrets?.rabbitmq_password?.file).toBe(PRODUCTION_ENV.RABBITMQ_PASSWORD_FILE);

    const values = Object.values(prod.services).flatMap((service) => Object.values(service.environment ?? {}));
    // No development value left anywhere.
    expect(values.filter((value) => /development|dev-password|userstream\.local/.test(String(value)))).toEqual([]);
    expect(prod.services.mailpit?.profiles).toEqual(["dev"]);
    expect(dev.services.mailpit?.profiles).toBeUndefined();
    // Not the local trial: the processes themselves refuse the published secrets too.
    for (const service of Object.values(prod.services)) expect(service.environment?.USERSTREAM_LOCAL_TRIAL ?? "").toBe("");
    // Plain-text SMTP only to the development Mailpit, never by default in production.
    expect(dev.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("true");
    expect(prod.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("false");
  });

  it("calls the management API without credentials in its URL", () => {
    for (const config of [dev, prod]) {
      for (const name of ["web", "api"]) {
        const env = config.services[name]?.environment ?? {};
        const url = new URL(env.RABBITMQ_MANAGEMENT_URL ?? "");
        expect(`${url.username}:${url.password}`).toBe(":");
        expect(env.RABBITMQ_MANAGEMENT_USER).toBe(config.services.rabbitmq?.environment?.RABBITMQ_DEFAULT_USER);
      }
    }
    expect(dev.services.web?.environment?.RABBITMQ_MANAGEMENT_PASSWORD).toBe(dev.services.rabbitmq?.environment?.RABBITMQ_DEFAULT_PASS);
  });

  it("in production refuses to start without any one secret, naming it; and passes with all of them", async () => {
    for (const variable of [...Object.keys(SECRET_FILES), "RESEND_API_KEY_FILE"]) {
      const { [variable]: _, ...without } = PRODUCTION_ENV;
      await expect(composeConfig(COMBINATIONS.production.files, without, undefined, true), variable).rejects.toThrow(new RegExp(`set ${variable}`));
    }
    await expect(composeConfig(COMBINATIONS.production.files, PRODUCTION_ENV, undefined, true)).resolves.toBeDefined();
  });
});

/**
 * The host file behind `service`'s `NAME_FILE`: the variable names /run/secrets/<secret>, a secret
 * mounted into the service, whose top-level `file` is the operator's. Undefined when any link is missing.
 */
function secretFile(config: Compose, service: string, name: string): string | undefined {
  const path = config.services[service]?.environment?.[`${name}_FILE`];
  const secret = /^\/run\/secrets\/(\w+)$/.exec(path ?? "")?.[1];
  if (!secret || !config.services[service]?.secrets?.some((mounted) => mounted.source === secret)) return undefined;
  return config.secrets?.[secret]?.file;
}
