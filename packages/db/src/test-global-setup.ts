import { createTestDatabase, TEMPLATE_DATABASE_VARIABLE } from "./testing";

/**
 * Vitest global setup: migrates one template database for the whole run, so each test file's
 * `createTestDatabase()` is a quick copy instead of a Prisma CLI run, and drops it at the end.
 * Several projects of one run share the first template made (workers inherit the variable).
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[TEMPLATE_DATABASE_VARIABLE]) return undefined;
  const template = await createTestDatabase("userstream_template");
  process.env[TEMPLATE_DATABASE_VARIABLE] = new URL(template.url).pathname.slice(1);
  return async () => {
    delete process.env[TEMPLATE_DATABASE_VARIABLE];
    await template.drop();
  };
}
