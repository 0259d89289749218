/**
 * The migrated template database of one `npm test` run, made once: `create` prints its name (the
 * run exports it as USERSTREAM_TEST_TEMPLATE_DATABASE, so every test database, the end-to-end
 * run's, the benchmarks' and the chaos suite's are copies instead of Prisma CLI runs);
 * `drop NAME` removes it at the end of the run.
 */
import { createTestDatabase, dropTestDatabase, TEMPLATE_DATABASE_VARIABLE } from "../src/testing";

const [command, name] = process.argv.slice(2);
if (command === "create") {
  // A template of a template would only chain the copies: always migrate this one.
  delete process.env[TEMPLATE_DATABASE_VARIABLE];
  const template = await createTestDatabase("userstream_template");
  console.log(new URL(template.url).pathname.slice(1));
} else if (command === "drop" && name) {
  await dropTestDatabase(name);
} else {
  console.error("usage: test-template.ts create | drop NAME");
  process.exit(2);
}
