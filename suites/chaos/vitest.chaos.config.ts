import { defineConfig } from "vitest/config";

// The chaos suite (`pnpm test:chaos`): one file, its scenarios in order, sharing one PostgreSQL
// cluster and one RabbitMQ node of its own.
export default defineConfig({
  test: {
    include: ["src/**/*.chaos.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
