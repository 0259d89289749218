import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One migrated template database per run; each test database is a copy of it.
    globalSetup: ["./src/test-global-setup.ts"],
    include: ["src/**/*.test.ts"],
    // Integration tests create databases and run the Prisma CLI, which takes a few seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
