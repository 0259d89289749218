import { defineConfig } from "prisma/config";
import { databaseUrl } from "./src/env";
import { MigrationPg } from "./src/migration-adapter";

// schema.prisma reads env("DATABASE_URL"), so the CLI needs it set even though the adapter below
// does the connecting; default it so `prisma generate` works with no environment at all.
process.env.DATABASE_URL = databaseUrl();
// No update checks or telemetry: this machine (and CI) has no route to Prisma's servers.
process.env.CHECKPOINT_DISABLE ??= "1";

/**
 * The CLI runs Prisma's WASM schema engine through the pg driver adapter (`engine: "js"`), so
 * migrate and generate need no native engine download.
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new MigrationPg(databaseUrl()),
});
