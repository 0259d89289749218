import tseslint from "typescript-eslint";

/**
 * Shared lint rules. `process.env` is read in one place per app (`src/env.ts`), where it is
 * validated; everywhere else it is banned so that no variable escapes validation.
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
    },
  },
  {
    files: ["**/env.ts", "**/testing.ts", "**/*.test.ts", "**/test/**", "**/e2e/**", "**/chaos/**", "**/*.config.ts", "**/scripts/**", "**/bench/**", "**/test-global-setup.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
