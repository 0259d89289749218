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
import { storeRegistration } from "../src/receiver/store-registrations";
import { createReportPool, runReport } from "../src/reporter/run-report";

const FORMULA_START = /^[=+\-@\t\r]/;
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

describe("CSV reports are safe for any name (property-based, through PostgreSQL)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let reportPool: ReturnType<typeof createReportPool>;
  let reportsDir: string;
  const logger = pino({ level: "silent" });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url);
    reportPool = createReportPool(database.url, logger);
    reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-csv-"));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await reportPool?.end();
    await database?.drop();
    await rm(reportsDir, { recursive: true, force: true });
  });

  async function usersReport(): Promise<string[][]> {
    const row = await db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
    const outcome = await runReport(row.id, { pool: reportPool, reportsDir, logger });
    expect(outcome).toBe("succeeded");
    const { fileName } = await db.reportLog.findUniqueOrThrow({ where: { id: row.id } });
    const [, ...rows] = parse(await readFile(path.join(reportsDir, fileName ?? ""))) as string[][];
    return rows;
  }

  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ["@SUM(1)", "'@SUM(1)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["\tTab", "'\tTab"],
    ["\rReturn", "'\rReturn"],
    ["'quoted", "''quoted"],
    ["Ada", "Ada"],
  ])("writes the name %j as %j", async (name, cell) => {
    await db.user.deleteMany();
    await db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: name, lastName: "X", email: "a@example.com" },
    });
    expect((await usersReport())[0]?.[1]).toBe(cell);
  });

  it("round-trips any names, and no cell can start a formula", async () => {
    // PostgreSQL text cannot hold NUL; every other character is fair game, stored as a later
    // admin edit or import might store it, without the registration schema's checks.
    const text = fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replaceAll("\u0000", ""));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 20 }), async (names) => {
        await db.user.deleteMany();
        const base = Date.UTC(2026, 0, 1);
        await db.user.createMany({
          data: names.map(([firstName, lastName], i) => ({
            registrationId: crypto.randomUUID(),
            firstName,
            lastName,
            email: `u${i}@example.com`,
            createdAt: new Date(base + i * 1_000),
          })),
        });
        const rows = await usersReport();
        expect(rows.map((row) => [restore(row[1] ?? ""), restore(row[2] ?? "")])).toEqual(names);
        for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
      }),
      { numRuns: 25 },
    );
  });

  it("keeps a valid registration unchanged from the form through the message and the database to the CSV", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(validName, validName, validEmail), {
          minLength: 1,
          maxLength: 8,
          selector: ([, , email]) => email,
        }),
        async (people) => {
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
            expect((await storeRegistration(reportPool, message)).outcome).toBe("created");
            accepted.push(input);
          }
          const rows = await usersReport();
          const reported = rows.map((row) => ({
            firstName: restore(row[1] ?? ""),
            lastName: restore(row[2] ?? ""),
            email: restore(row[3] ?? ""),
          }));
          const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
          expect(reported.sort(byEmail)).toEqual(accepted.sort(byEmail));
        },
      ),
      { numRuns: 20 },
    );
  });
});
