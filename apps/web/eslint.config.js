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
      // SQL only through Prisma, parameterised: raw queries as tagged templates, nothing spliced in.
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^[$](queryRawUnsafe|executeRawUnsafe)$/]",
          message: "Use the tagged templates $queryRaw`…` / $executeRaw`…`, which bind every value.",
        },
        {
          selector: "MemberExpression[object.name='Prisma'][property.name=/^(raw|join)$/]",
          message: "Prisma.raw/Prisma.join splice text into SQL; bind values in a tagged template instead.",
        },
        {
          selector: "CallExpression[callee.property.name=/^[$](queryRaw|executeRaw)$/]",
          message: "Call $queryRaw/$executeRaw as tagged templates, so every value is a bound parameter.",
        },
      ],
      "no-restricted-imports": ["error", { paths: [{ name: "pg", message: "The web talks to PostgreSQL through Prisma only." }] }],
    },
  },
  {
    // Every line the web and the API server write goes through the logger (src/server/logger.ts),
    // so each has its time and service and follows LOG_LEVEL and LOG_FORMAT.
    files: ["src/**/*.{ts,tsx}"],
    rules: { "no-console": "error" },
  },
];
