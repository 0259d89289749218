import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const run = promisify(execFile);
// Debian's docker-compose (reads the compose spec without an engine), or the Docker CLI plugin.
const compose = spawnSync("docker-compose", ["version"]).status === 0 ? ["docker-compose"] : ["docker", "compose"];
const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The values a production deployment must provide (compose.prod.yml refuses to start without them). */
const PRODUCTION_ENV = {
  POSTGRES_USER: "us_prod",
  POSTGRES_PASSWORD: "pg-secret-from-the-operator",
  RABBITMQ_USER: "us_broker",
  RABBITMQ_PASSWORD: "mq-secret-from-the-operator",
  APP_URL: "https://userstream.example.com",
  CONFIRMATION_TOKEN_SECRET: "confirmation-secret-from-the-operator-0123456789",
  ADMIN_EMAIL: "ops@example.com",
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:c2FsdA:aGFzaA",
  SESSION_SECRET: "session-secret-from-the-operator-0123456789",
  EMAIL_PROVIDER: "smtp",
  SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
  EMAIL_FROM: "UserStream <welcome@example.com>",
};
const COMBINATIONS = {
  development: { files: ["docker-compose.yml"], env: {} },
  production: { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV },
  "production with the dev profile": { files: ["docker-compose.yml", "compose.prod.yml"], env: PRODUCTION_ENV, profile: "dev" },
};

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
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks: Record<string, { name?: string }>;
}

/** The user's environment minus anything compose would interpolate, plus `extra`. */
function composeEnv(extra: Record<string, string>) {
  const names = /^(POSTGRES|RABBITMQ|APP_URL|CONFIRMATION|ADMIN|SESSION|EMAIL|SMTP|RESEND|REPORT|LOG_LEVEL|COMPOSE)/;
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

  it("publishes the seed's ports; the scaled receiver and sender only on ephemeral host ports", () => {
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
      expect(config.services.postgres?.environment?.POSTGRES_PASSWORD).not.toMatch(/^(postgres|password)?$/);
      for (const [name, service] of Object.entries(config.services)) {
        const env = service.environment ?? {};
        if (env.AMQP_URL) expect(new URL(env.AMQP_URL).username, name).toBe(rabbit.RABBITMQ_DEFAULT_USER);
        if (env.DATABASE_URL) expect(new URL(env.DATABASE_URL).username, name).toBe(config.services.postgres?.environment?.POSTGRES_USER);
      }
    }
  });

  it("in production takes every secret from the operator and runs no mail catcher", () => {
    const values = Object.values(prod.services).flatMap((service) => Object.values(service.environment ?? {}));
    // No development value left anywhere.
    expect(values.filter((value) => /development|dev-password|userstream\.local/.test(String(value)))).toEqual([]);
    expect(prod.services.web?.environment?.SESSION_SECRET).toBe(PRODUCTION_ENV.SESSION_SECRET);
    expect(prod.services.sender?.environment?.SMTP_URL).toBe(PRODUCTION_ENV.SMTP_URL);
    expect(new URL(prod.services.receiver?.environment?.DATABASE_URL ?? "").password).toBe(PRODUCTION_ENV.POSTGRES_PASSWORD);
    expect(prod.services.mailpit?.profiles).toEqual(["dev"]);
    expect(dev.services.mailpit?.profiles).toBeUndefined();
    // Not the local trial: the processes themselves refuse the published secrets too.
    for (const service of Object.values(prod.services)) expect(service.environment?.USERSTREAM_LOCAL_TRIAL ?? "").toBe("");
    // Plain-text SMTP only to the development Mailpit, never by default in production.
    expect(dev.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("true");
    expect(prod.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("false");
  });

  it("in production refuses to start without a secret, naming it", async () => {
    const { SESSION_SECRET: _, ...withoutSession } = PRODUCTION_ENV;
    await expect(composeConfig(COMBINATIONS.production.files, withoutSession, undefined, true)).rejects.toThrow(/set SESSION_SECRET/);
  });
});
