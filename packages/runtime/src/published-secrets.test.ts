import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SECRET_DIGESTS, publishedSecretProblems, SECRETS, secretDigest, type SecretName } from "./published-secrets";

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
