import { defineConfig } from "vitest/config";

// The benchmarks' own tests (`*.test.ts`), part of the plain Vitest run; the benchmarks themselves
// run with `pnpm bench:<name>`.
export default defineConfig({
  test: {
    // One migrated template database per run; a benchmark's database is a copy of it.
    globalSetup: ["../../packages/db/src/test-global-setup.ts"],
    include: ["src/**/*.test.ts"],
    testTimeout: 180_000,
  },
});
