import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import {
  PUBLISHED_PASSWORD_DIGESTS,
  PUBLISHED_SECRET_DIGESTS,
  passwordVariables,
  publishedPasswordProblems,
  publishedSecretProblems,
  SECRETS,
  secretDigest,
  type SecretName,
} from "./published-secrets";

const root = new URL("../../../", import.meta.url);
const names = Object.keys(SECRETS) as SecretName[];

/** Every value the repository gives a secret: `.env.example`'s, and `docker-compose.yml`'s `${NAME:-default}`. */
function publishedValues(): Map<string, string> {
  const values = new Map<string, string>();
  const example = parseEnv(readFileSync(new URL(".env.example", root), "utf8"));
  for (const name of names) if (example[name]) values.set(`${name} in .env.example`, example[name]);
  const compose = readFileSync(new URL("docker-compose.yml", root), "utf8");
  for (const [, name, value] of compose.matchAll(/\$\{(\w+):-([^}]*)\}/g)) {
    if (names.includes(name as SecretName) && value) values.set(`${name} in docker-compose.yml`, value!);
  }
  return values;
}

describe("the published secrets", () => {
  it("are exactly the secret values in .env.example and docker-compose.yml", () => {
    const values = publishedValues();
    expect([...values.keys()]).toEqual(
      expect.arrayContaining(["SESSION_SECRET in .env.example", "ADMIN_PASSWORD_HASH in .env.example"]),
    );
    expect(new Set([...values.values()].map(secretDigest))).toEqual(PUBLISHED_SECRET_DIGESTS);
  });

  it("are refused in production, by name, with the command that makes a good one", () => {
    const env = Object.fromEntries([...publishedValues()].map(([where, value]) => [where.split(" ")[0], value]));
    const problems = publishedSecretProblems({ ...env, NODE_ENV: "production" }, names);
    expect(problems.map((line) => line.split(":")[0])).toEqual(Object.keys(env));
    expect(problems.find((line) => line.startsWith("SESSION_SECRET:"))).toMatch(/openssl rand -base64 48/);
    expect(problems.find((line) => line.startsWith("ADMIN_PASSWORD_HASH:"))).toMatch(/admin:hash-password/);
  });

  it("are accepted outside production and in the local trial; other values always", () => {
    const env = { SESSION_SECRET: "development-session-secret-change-me-0123456789" };
    expect(publishedSecretProblems({ ...env, NODE_ENV: "development" }, names)).toEqual([]);
    expect(publishedSecretProblems({ ...env, NODE_ENV: "production", USERSTREAM_LOCAL_TRIAL: "1" }, names)).toEqual([]);
    expect(publishedSecretProblems({ SESSION_SECRET: "x".repeat(64), NODE_ENV: "production" }, names)).toEqual([]);
  });
});

describe("the published passwords", () => {
  const compose = readFileSync(new URL("docker-compose.yml", root), "utf8");

  it("are exactly docker-compose.yml's password defaults", () => {
    const defaults = [...compose.matchAll(/\$\{\w+_PASSWORD:-([^}]*)\}/g)].map(([, value]) => value!);
    expect(defaults.length).toBeGreaterThan(0);
    expect(new Set(defaults.map(secretDigest))).toEqual(PUBLISHED_PASSWORD_DIGESTS);
  });

  it("are refused in production in any URL of a list, percent-encoded or not, and as a password", () => {
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://userstream_app:userstream%2Dapp%2Ddev%2Dpassword@db:5432/userstream",
      AMQP_URL: "amqp://u:own-password@rabbit-0:5672, amqp://userstream:userstream-dev-password@rabbit-1:5672",
      RABBITMQ_MANAGEMENT_PASSWORD: "userstream-dev-password",
      SMTP_URL: "smtp://mail:a-password-of-its-own@relay:587",
      DIRECT_DATABASE_URL: "postgresql://postgres@db:5432/userstream",
    };
    const problems = publishedPasswordProblems(env, passwordVariables(Object.keys(env)));
    expect(problems.map((line) => line.split(":")[0])).toEqual(["DATABASE_URL", "AMQP_URL", "RABBITMQ_MANAGEMENT_PASSWORD"]);
    expect(problems[0]).toMatch(/refused in production \(USERSTREAM_LOCAL_TRIAL=1 only for a local trial on loopback\)/);
  });

  it("are accepted outside production and in the local trial", () => {
    const env = { DATABASE_URL: "postgresql://userstream:userstream-dev-password@postgres:5432/userstream" };
    expect(publishedPasswordProblems({ ...env, NODE_ENV: "development" }, ["DATABASE_URL"])).toEqual([]);
    expect(publishedPasswordProblems({ ...env, NODE_ENV: "production", USERSTREAM_LOCAL_TRIAL: "1" }, ["DATABASE_URL"])).toEqual(
      [],
    );
  });
});
