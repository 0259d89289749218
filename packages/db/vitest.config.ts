import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Integration tests create databases and run the Prisma CLI, which takes a few seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
