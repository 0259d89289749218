/**
 * The workers Dockerfile's migrate stage, run outside Docker (image-support.ts): the database
 * package installed on its own, then the stage's command.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ownedName } from "@userstream/test-support";
import { describe, expect, it } from "vitest";
import { dockerCommand } from "./dockerfiles";
import { baseEnv, run, secretFiles, sourcesInstalled, sql, useImageServices } from "./image-support";

const services = useImageServices("migrate_image");

/** migrate-deps: RUN pnpm install --frozen-lockfile --offline --filter "@userstream/db..." */
const databasePackageInstalled = (prefix: string) => sourcesInstalled(prefix, ["--filter", "@userstream/db..."]);

/** The stage's CMD, run in its WORKDIR with `env`. */
function migrate(app: string, env: Record<string, string>) {
  const [shell = "sh", flag = "-c", script = ""] = dockerCommand("apps/workers/Dockerfile", "migrate", "CMD");
  return run(shell, [flag, script], { cwd: join(app, "packages/db"), env: { ...baseEnv(), CHECKPOINT_DISABLE: "1", ...env } });
}

describe("the workers Dockerfile's migrate stage", () => {
  it("with only the database package installed, creates the database and applies the migrations", async () => {
    const app = await databasePackageInstalled("userstream-migrate-image-");
    expect(existsSync(join(app, "apps/web/node_modules"))).toBe(false);
    const url = new URL(services.database.adminUrl);
    url.pathname = `/${url.pathname.slice(1)}_migrate`;
    try {
      const result = await migrate(app, { DATABASE_URL: url.toString() });
      expect(result.stdout).toMatch(/Created database|applied/i);
      const tables = await sql(url.toString(), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      expect(tables.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(["notification_logs", "registrations", "report_logs", "users"]),
      );
    } finally {
      await sql(services.database.adminUrl, `DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    }
  });

  it("as the compose files run it: makes the roles, migrates as the owner, and rotates the app role's password", async () => {
    const app = await databasePackageInstalled("userstream-migrate-roles-image-");
    const { adminUrl } = services.database;
    const name = ownedName("userstream_images_migrate");
    const [migrator, appRole] = [ownedName("userstream_test_migrator"), ownedName("userstream_test_app")];
    const as = (user: string, password = "") => {
      const url = new URL(adminUrl);
      Object.assign(url, { pathname: `/${name}`, username: user, password });
      return url.toString();
    };
    // compose.prod.yml's migrate service: three secrets.
    const migrateWith = (appPassword: string) =>
      migrate(
        app,
        secretFiles({
          DATABASE_ADMIN_URL: as(new URL(adminUrl).username),
          DATABASE_URL: as(migrator, "migrator-password"),
          DATABASE_APP_URL: as(appRole, appPassword),
        }),
      );
    const appPassword = async () =>
      (await sql(adminUrl, `SELECT rolpassword FROM pg_authid WHERE rolname = '${appRole}'`))[0]?.rolpassword;
    try {
      expect((await migrateWith("first-app-password")).stdout).toMatch(
        new RegExp(`Created database ${name}[\\s\\S]*Roles ${migrator} \\(owner\\) and ${appRole} \\(rows only\\)`),
      );
      expect(await sql(as(migrator), "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).toEqual([
        { tableowner: migrator },
      ]);
      // The services' role: rows yes, schema no.
      await sql(as(appRole), "INSERT INTO report_logs (kind, trigger, status) VALUES ('users', 'manual', 'queued')");
      await expect(sql(as(appRole), "DROP TABLE users")).rejects.toThrow(/must be owner/);
      const first = await appPassword();
      expect(first).toMatch(/^SCRAM-SHA-256\$/);

      // Run again with a new password in the app's URL: nothing to migrate, the password rotated.
      expect((await migrateWith("rotated-app-password")).stdout).toMatch(/up to date/);
      expect(await appPassword()).not.toBe(first);
    } finally {
      await sql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await sql(adminUrl, `DROP ROLE IF EXISTS "${appRole}", "${migrator}"`);
    }
  });
});
