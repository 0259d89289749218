import { defineConfig } from "vitest/config";

// The suite's own unit tests (`*.test.ts`: the ledger's checks), part of the plain Vitest run.
// The chaos scenarios (`*.chaos.ts`) run only with `pnpm test:chaos` (vitest.chaos.config.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
  },
});
