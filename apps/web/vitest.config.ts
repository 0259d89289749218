import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  test: {
    // One migrated template database per run; each test database is a copy of it.
    globalSetup: ["../../packages/db/src/test-global-setup.ts"],
    environment: "node",
    include: ["src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/*.e2e.ts", ".next/**", ".next-bundle-check-*/**"],
    // Integration tests create a database (with migrations) or a vhost each.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
