import tseslint from "typescript-eslint";

const NO_SUITES = {
  group: ["@userstream/bench", "@userstream/bench/*", "@userstream/chaos", "@userstream/chaos/*", "**/suites/**"],
  message: "Suites sit on top of the apps and packages: nothing imports them.",
};

/** Packages sit below the apps: a package never imports one. */
export const NO_APPS = {
  group: ["@userstream/web", "@userstream/web/*", "@userstream/workers", "@userstream/workers/*", "**/apps/**"],
  message: "Packages sit below the apps: move what both need into a package.",
};

/** The layering rule with the suites' ban and the given patterns (one rule: a later setting replaces an earlier one). */
export function restrictImports(...patterns) {
  return ["error", { patterns: [NO_SUITES, ...patterns] }];
}

/**
 * Shared lint rules. `process.env` is read in one place per app (`src/env.ts`), where it is
 * validated; everywhere else it is banned so that no variable escapes validation. Nothing imports
 * the system suites (`suites/`), which sit on top of everything else.
 */
export default tseslint.config(
  { ignores: ["**/dist/**", "**/.next/**", "**/generated/**", "**/node_modules/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from the validated env.ts instead." },
      ],
      // The layering: the system suites (suites/) sit on top and start the apps as processes;
      // nothing below them (apps, packages, tooling) imports a suite. (typescript-eslint's rule,
      // so that a package's own `no-restricted-imports`, as the web's, does not replace it.)
      "@typescript-eslint/no-restricted-imports": restrictImports(),
    },
  },
  {
    files: [
      "**/env.ts",
      "**/testing.ts",
      "**/*.test.ts",
      "**/test/**",
      "**/e2e/**",
      "**/*.config.ts",
      "**/scripts/**",
      "**/test-global-setup.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
