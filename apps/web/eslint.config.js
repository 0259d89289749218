import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import base from "@userstream/eslint-config/base";

const NO_PG = { name: "pg", message: "The web talks to PostgreSQL through Prisma only." };

/** `no-restricted-imports` with the web-wide ban on `pg` and the given import patterns (one rule: a later setting replaces an earlier one). */
function restrictImports(...patterns) {
  return ["error", { paths: [NO_PG], patterns }];
}

/** Route modules are Next.js's entry points: nothing imports them (shared handlers live in server/api/request-handlers.ts). */
const NO_APP = {
  regex: "^(~|\\.{1,2}(/\\.\\.)*)/app(/|$)",
  message: "Nothing outside src/app imports a page or route module; move what is shared to lib/ or server/.",
};

/**
 * The web's layers (docs/architecture.md, "The web's layers"): `app/` (pages, route modules) on top;
 * `server/api/` (tRPC, REST, the request handlers) over the services in `server/`; `lib/` at the
 * bottom, what the browser may load and the server shares.
 */
const LAYERS = [
  { files: ["src/**/*.{ts,tsx}"], ignores: ["src/app/**"], rules: { "no-restricted-imports": restrictImports(NO_APP) } },
  ...[
    ["src/env.ts", "^(~/|\\.{1,2}/)(?!config/)"],
    ["src/config/**/*.ts", "^(~/(?!config/)|\\.\\./)"],
  ].map(([file, regex]) => ({
    // env.ts is a leaf: it validates settings with the pure parsers of config/ and imports nothing
    // else of the app, so every module may import it without a loop.
    files: [file],
    ignores: ["src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrictImports(NO_APP, {
        regex,
        message: "env.ts and config/ import nothing of the app but config/ (pure parsers of settings): move the parser there.",
      }),
    },
  })),
  {
    // What a browser bundle may load: nothing of the server, its environment, Node or the broker and database clients.
    files: ["src/lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": restrictImports(NO_APP, {
        regex:
          "^((~|\\.\\.)/(server|env|trpc/server)(/|$)|server-only$|node:|@userstream/(db|messaging)(/|$)|amqplib$|@trpc/server)",
        message:
          "lib/ holds only what the browser may load: keep server code in server/ (which may import lib/, not the reverse).",
      }),
    },
  },
  {
    // Services hold the logic; tRPC and the request handlers sit on top of them, never below.
    files: ["src/server/**/*.ts"],
    ignores: ["src/server/api/**", "src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrictImports(NO_APP, {
        regex: "^(@trpc/|(~/server|\\.{1,2}(/\\.\\.)*)/api(/|$))",
        message:
          "Services do not import tRPC or server/api: return a result (or null) and let the router answer with the status.",
      }),
    },
  },
  {
    // Routers stay thin over services: one router never serves as another's library.
    files: ["src/server/api/routers/**/*.ts"],
    ignores: ["src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrictImports(NO_APP, {
        regex: "^\\./",
        message: "A router does not import another router: move what both need into a service under server/.",
      }),
    },
  },
];

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
      "no-restricted-imports": restrictImports(),
    },
  },
  ...LAYERS,
  {
    // Every line the web and the API server write goes through the logger (src/server/logger.ts),
    // so each has its time and service and follows LOG_LEVEL and LOG_FORMAT.
    files: ["src/**/*.{ts,tsx}"],
    rules: { "no-console": "error" },
  },
];
