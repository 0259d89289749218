import base, { NO_APPS, restrictImports } from "@userstream/eslint-config/base";

/**
 * The runtime is the bottom floor of packages/: every process's env loading, logger, health
 * server and shutdown, so it imports no other package of the project (nor an app).
 */
export default [
  ...base,
  {
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports(NO_APPS, {
        group: ["@userstream/*", "!@userstream/runtime", "!@userstream/eslint-config"],
        message: "The runtime sits at the bottom of packages/: it imports no other package of the project.",
      }),
    },
  },
];
