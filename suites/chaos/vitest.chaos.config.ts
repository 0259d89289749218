import { defineConfig } from "vitest/config";

// The chaos suite (`pnpm test:chaos`): its files one after another, each file's scenarios in order
// sharing the file's own PostgreSQL cluster and RabbitMQ node (the cluster scenarios: three nodes).
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
