/** The compose files' credentials and secrets: no defaults, the two database roles, Docker secrets in production. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  APP_ROLE,
  APP_SERVICES,
  COMBINATIONS,
  composeConfig,
  MIGRATOR_ROLE,
  PRODUCTION_ENV,
  SECRET_FILES,
  SECRET_VARIABLES,
  secretFile,
  useComposeConfigs,
} from "./compose-support";
import { root } from "./start-support";

describe("the compose deployment's credentials", () => {
  const configs = useComposeConfigs();

  it("uses no default credentials: no guest on RabbitMQ, no postgres user, in development and production", () => {
    for (const config of [configs.dev, configs.prod]) {
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
    expect(configs.dev.services.postgres?.environment?.POSTGRES_PASSWORD).not.toBe("");
  });

  it("runs the services as the row-only role and migrations as the schema's owner, both made by the migrate service", () => {
    // The two roles packages/db/sql/roles.sql creates.
    const script = readFileSync(`${root}packages/db/sql/roles.sql`, "utf8");
    expect([...script.matchAll(/CREATE ROLE (\w+)/g)].map((match) => match[1])).toEqual([MIGRATOR_ROLE, APP_ROLE]);

    const user = (url: string | undefined) => new URL(url ?? "").username;
    for (const name of APP_SERVICES) expect(user(configs.dev.services[name]?.environment?.DATABASE_URL), name).toBe(APP_ROLE);
    const migrate = configs.dev.services.migrate?.environment ?? {};
    expect(user(migrate.DATABASE_URL)).toBe(MIGRATOR_ROLE);
    // The superuser made by the postgres image creates the roles and sets their passwords: the app's from the services' URL.
    expect(user(migrate.DATABASE_ADMIN_URL)).toBe(configs.dev.services.postgres?.environment?.POSTGRES_USER);
    expect(migrate.DATABASE_APP_URL).toBe(configs.dev.services.web?.environment?.DATABASE_URL);
    expect(new URL(migrate.DATABASE_APP_URL ?? "").password).not.toBe(new URL(migrate.DATABASE_ADMIN_URL ?? "").password);

    // Production: the same, each URL a secret of the operator's.
    for (const name of APP_SERVICES)
      expect(secretFile(configs.prod, name, "DATABASE_URL"), name).toBe(PRODUCTION_ENV.DATABASE_URL_FILE);
    expect(secretFile(configs.prod, "migrate", "DATABASE_URL")).toBe(PRODUCTION_ENV.MIGRATOR_DATABASE_URL_FILE);
    expect(secretFile(configs.prod, "migrate", "DATABASE_ADMIN_URL")).toBe(PRODUCTION_ENV.DATABASE_ADMIN_URL_FILE);
    expect(secretFile(configs.prod, "migrate", "DATABASE_APP_URL")).toBe(PRODUCTION_ENV.DATABASE_URL_FILE);
    expect(secretFile(configs.prod, "postgres", "POSTGRES_PASSWORD")).toBe(PRODUCTION_ENV.POSTGRES_PASSWORD_FILE);
  });

  it("in production hands every secret over as a Docker secret file, and runs no mail catcher", () => {
    for (const [name, service] of Object.entries(configs.prod.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        // A secret's variable is cleared; its NAME_FILE is a secret mounted into this service.
        if (SECRET_VARIABLES.test(variable)) expect(`${name} ${variable}=${value}`).toBe(`${name} ${variable}=`);
        if (variable.endsWith("_FILE"))
          expect(secretFile(configs.prod, name, variable.slice(0, -"_FILE".length)), `${name} ${variable}`).toBeDefined();
      }
    }
    const web = {
      SESSION_SECRET: "SESSION_SECRET",
      CONFIRMATION_TOKEN_SECRET: "CONFIRMATION_TOKEN_SECRET",
      ADMIN_PASSWORD_HASH: "ADMIN_PASSWORD_HASH",
      AMQP_URL: "AMQP_URL",
      RABBITMQ_MANAGEMENT_PASSWORD: "RABBITMQ_PASSWORD",
    };
    for (const name of ["web", "api"]) {
      for (const [variable, secret] of Object.entries(web))
        expect(secretFile(configs.prod, name, variable), `${name} ${variable}`).toBe(PRODUCTION_ENV[`${secret}_FILE`]);
    }
    expect(secretFile(configs.prod, "sender", "SMTP_URL")).toBe(PRODUCTION_ENV.SMTP_URL_FILE);
    expect(secretFile(configs.prod, "sender", "RESEND_API_KEY")).toBe("/dev/null");
    expect(secretFile(configs.prod, "sender", "CONFIRMATION_TOKEN_SECRET")).toBe(PRODUCTION_ENV.CONFIRMATION_TOKEN_SECRET_FILE);
    // RabbitMQ's image reads no _FILE variable: its entry point reads the secret.
    expect(configs.prod.services.rabbitmq?.entrypoint?.join(" ")).toMatch(
      /RABBITMQ_DEFAULT_PASS="\$+\(cat \/run\/secrets\/rabbitmq_password\)" exec docker-entrypoint.sh rabbitmq-server/,
    );
    expect(configs.prod.secrets?.rabbitmq_password?.file).toBe(PRODUCTION_ENV.RABBITMQ_PASSWORD_FILE);

    const values = Object.values(configs.prod.services).flatMap((service) => Object.values(service.environment ?? {}));
    // No development value left anywhere.
    expect(values.filter((value) => /development|dev-password|userstream\.local/.test(String(value)))).toEqual([]);
    expect(configs.prod.services.mailpit?.profiles).toEqual(["dev"]);
    expect(configs.dev.services.mailpit?.profiles).toBeUndefined();
    // Not the local trial: the processes themselves refuse the published secrets too.
    for (const service of Object.values(configs.prod.services))
      expect(service.environment?.USERSTREAM_LOCAL_TRIAL ?? "").toBe("");
    // Plain-text SMTP only to the development Mailpit, never by default in production.
    expect(configs.dev.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("true");
    expect(configs.prod.services.sender?.environment?.SMTP_ALLOW_PLAINTEXT).toBe("false");
  });

  it("calls the management API without credentials in its URL", () => {
    for (const config of [configs.dev, configs.prod]) {
      for (const name of ["web", "api"]) {
        const env = config.services[name]?.environment ?? {};
        const url = new URL(env.RABBITMQ_MANAGEMENT_URL ?? "");
        expect(`${url.username}:${url.password}`).toBe(":");
        expect(env.RABBITMQ_MANAGEMENT_USER).toBe(config.services.rabbitmq?.environment?.RABBITMQ_DEFAULT_USER);
      }
    }
    expect(configs.dev.services.web?.environment?.RABBITMQ_MANAGEMENT_PASSWORD).toBe(
      configs.dev.services.rabbitmq?.environment?.RABBITMQ_DEFAULT_PASS,
    );
  });

  it("in production refuses to start without any one secret, naming it; and passes with all of them", async () => {
    for (const variable of [...Object.keys(SECRET_FILES), "RESEND_API_KEY_FILE"]) {
      const { [variable]: _, ...without } = PRODUCTION_ENV;
      await expect(composeConfig(COMBINATIONS.production.files, without, undefined, true), variable).rejects.toThrow(
        new RegExp(`set ${variable}`),
      );
    }
    await expect(composeConfig(COMBINATIONS.production.files, PRODUCTION_ENV, undefined, true)).resolves.toBeDefined();
  });
});
