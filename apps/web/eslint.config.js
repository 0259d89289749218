import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import base from "@userstream/eslint-config/base";

/** The shared rules (including the `process.env` ban outside `src/env.ts`) plus Next's and the hooks rules. */
export default [
  ...base,
  { ignores: ["next-env.d.ts", "playwright-report/**", "test-results/**", ".next-bundle-check-*/**"] },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
];
