import { defineConfig } from "vitest/config";

// One run over every package: unit tests (`*.test.ts`) and integration tests
// (`*.integration.test.ts`, against the real PostgreSQL and RabbitMQ). Playwright's `*.e2e.ts`
// run separately.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/deploy"],
  },
});
