import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import pino from "pino";
import { RegistrationInputSchema, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase } from "@userstream/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeRegistration } from "../src/receiver/store-registration";
import { runReport } from "../src/reporter/run-report";

// Letters of several scripts, a combining mark, and the punctuation names may hold (a leading
// apostrophe or hyphen exercises the CSV's formula guard).
const nameChar = fc.constantFrom(..."AaZzéÉłŁßñЖжΩωحعשא中文한글ひらअ", "e\u0301", " ", "'", "’", "-", ".");
const validName = fc
  .array(nameChar, { minLength: 1, maxLength: 30 })
  .map((chars) => chars.join(""))
  .filter((name) => name.trim().length > 0);
const validEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9_+-]{1,16}$/), fc.stringMatching(/^[a-z0-9]{1,12}\.[a-z]{2,6}$/))
  .map(([local, domain]) => `${local}@${domain}`);
const restore = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

describe("a valid registration survives web → message → database → CSV unchanged (property-based)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let reportsDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url);
    reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-round-trip-"));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    await rm(reportsDir, { recursive: true, force: true });
  });

  async function usersReport(): Promise<string[][]> {
    const row = await db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
    const outcome = await runReport(row.id, { db, databaseUrl: database.url, reportsDir, logger: pino({ level: "silent" }) });
    expect(outcome).toBe("succeeded");
    const { fileName } = await db.reportLog.findUniqueOrThrow({ where: { id: row.id } });
    const [, ...rows] = parse(await readFile(path.join(reportsDir, fileName ?? ""))) as string[][];
    return rows;
  }

  it("stores and reports exactly what the form accepted", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(validName, validName, validEmail), { minLength: 1, maxLength: 8, selector: ([, , email]) => email }), async (people) => {
        await db.user.deleteMany();
        await db.registration.deleteMany();
        const accepted = [];
        for (const [firstName, lastName, email] of people) {
          // The web: validate, then publish the envelope as JSON.
          const input = RegistrationInputSchema.parse({ firstName, lastName, email });
          const registrationId = crypto.randomUUID();
          const body = JSON.stringify(createEnvelope(UserRegistrationV1, { ...input, registrationId }, registrationId));
          // The receiver: parse the message against its contract, then store it.
          const message = UserRegistrationV1.schema.parse(JSON.parse(body));
          expect((await storeRegistration(db, message)).outcome).toBe("created");
          accepted.push(input);
        }
        const rows = await usersReport();
        const reported = rows.map((row) => ({ firstName: restore(row[1] ?? ""), lastName: restore(row[2] ?? ""), email: restore(row[3] ?? "") }));
        const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
        expect(reported.sort(byEmail)).toEqual(accepted.sort(byEmail));
      }),
      { numRuns: 20 },
    );
  });
});
