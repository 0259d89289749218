import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One migrated template database per run; each test database is a copy of it.
    globalSetup: ["../../packages/db/src/test-global-setup.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
