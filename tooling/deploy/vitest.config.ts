import { defineConfig } from "vitest/config";

// Checks of what deploys UserStream: the compose files, the image build steps, the supervisor.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
