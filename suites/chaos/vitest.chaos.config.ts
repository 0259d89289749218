import { defineConfig } from "vitest/config";

// The chaos suite (`pnpm test:chaos`): one file, its scenarios in order, sharing one PostgreSQL
// cluster and one RabbitMQ node of its own.
export default defineConfig({
  test: {
    include: ["src/**/*.chaos.ts"],
    // The workers run as production runs them, from their bundles: built first when stale.
    globalSetup: ["src/build-workers.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
