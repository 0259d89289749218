import base from "@userstream/eslint-config/base";

const PLAIN_PG =
  'Workers talk to PostgreSQL through plain pg only: one pool from @userstream/db/pool, SQL in a typed module per table (docs/architecture.md, "One database path per process").';

/** The shared rules, plus: no Prisma client in the workers' code (their tests may read rows through it). */
export default [
  ...base,
  {
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@userstream/db", message: PLAIN_PG },
            { name: "@prisma/client", message: PLAIN_PG },
            { name: "@prisma/adapter-pg", message: PLAIN_PG },
          ],
          patterns: [{ group: ["**/generated/prisma", "**/generated/prisma/*", "@prisma/client/*"], message: PLAIN_PG }],
        },
      ],
    },
  },
];
