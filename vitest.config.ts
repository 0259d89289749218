import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// One run over every package: unit tests (`*.test.ts`) and integration tests
// (`*.integration.test.ts`, against the real PostgreSQL and RabbitMQ). Playwright's `*.e2e.ts`
// and the chaos suite's scenarios (`*.chaos.ts`, `pnpm test:chaos`) run separately.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/deploy", "suites/chaos", "suites/bench"],
    // Vitest's default is one file at a time on two cores, yet most files spend their time waiting
    // on PostgreSQL, RabbitMQ and the processes they start: one more file than cores (measured in
    // docs/architecture.md, Testing).
    maxWorkers: availableParallelism() + 1,
  },
});
