import { loadEnvFiles } from "@userstream/runtime/load-env-files";
import { defineConfig } from "prisma/config";
import { directDatabaseUrl } from "./src/env";
import { MigrationPg } from "./src/migration-adapter";

// The environment wins over .env, which wins over .env.example, as for every process.
loadEnvFiles();
// The schema (prisma/schema/schema.prisma) reads env("DATABASE_URL"), so the CLI needs it set even though the adapter below
// does the connecting; default it so `prisma generate` works with no environment at all.
// The CLI migrates, so it connects straight to PostgreSQL: DIRECT_DATABASE_URL when DATABASE_URL
// goes through a transaction pooler (see src/env.ts). A `_FILE` variant, when used, is read here
// once and replaced by the value it holds.
process.env.DATABASE_URL = directDatabaseUrl();
delete process.env.DATABASE_URL_FILE;
// No update checks or telemetry: this machine (and CI) has no route to Prisma's servers.
process.env.CHECKPOINT_DISABLE ??= "1";

/**
 * The CLI runs Prisma's WASM schema engine through the pg driver adapter (`engine: "js"`), so
 * migrate and generate need no native engine download.
 *
 * Known CLI bug with this engine (6.19.3): `migrate dev --create-only` writes the migration and then
 * exits 1 with "null pointer passed to rust", because it stops the WASM engine twice. The files it
 * wrote are fine; plain `migrate dev --name <what>` (create and apply) is not affected.
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new MigrationPg(directDatabaseUrl()),
});
