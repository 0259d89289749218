import type { UserSort } from "@userstream/contracts";
import { Prisma } from "@userstream/db";
import type { ListDb } from "./users-list-query";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_FETCH_LIMIT } from "./users-list-query";
import { listPublicUsers, listUsers } from "./users-service";
import { setupTestDatabase } from "./testing";

// Searches over more users than fit a page's plan either way: a rare word is fetched through the
// trigram indexes and ordered, a common one walks the order's index; each falls back to the other
// when the planner's estimate proves wrong. Whatever the path, pages neither overlap nor skip.
const USERS = 12_000;

describe("users list searches over many users, on each path", () => {
  const database = setupTestDatabase("userstream_web_test");

  /** Users `from`..`to`: every other one a Hopper, one in 400 a Quill, the rest Lovelaces; some share a timestamp. */
  async function addUsers(from: number, to: number, lastName: string | null = null) {
    await database.db.$executeRaw`
      INSERT INTO users (registration_id, first_name, last_name, email, created_at)
      SELECT gen_random_uuid(), 'Person' || (i % 7),
        COALESCE(${lastName}::text, CASE WHEN i % 400 = 0 THEN 'Quill' WHEN i % 2 = 0 THEN 'Hopper' ELSE 'Lovelace' END),
        'user' || i || '@example.com', timestamptz '2026-01-01' + make_interval(secs => i / 3)
      FROM generate_series(${from}::int, ${to}::int) AS i`;
  }

  beforeAll(async () => {
    // The statistics stay as the test sets them: autovacuum would analyse the table when it likes.
    await database.db.$executeRaw`ALTER TABLE users SET (autovacuum_enabled = false)`;
    await addUsers(1, USERS);
    await database.db.$executeRaw`ANALYZE users`;
  });

  /** The ids of the users called `lastName` (or matching `where`), in `sort`'s order, as a plain query finds them. */
  async function expected(lastName: string | Prisma.Sql, sort: UserSort): Promise<string[]> {
    const orderBy = {
      created_desc: Prisma.sql`created_at DESC, id DESC`,
      created_asc: Prisma.sql`created_at, id`,
      last_name_asc: Prisma.sql`last_name, first_name, id`,
      last_name_desc: Prisma.sql`last_name DESC, first_name DESC, id DESC`,
      email_asc: Prisma.sql`email`,
      email_desc: Prisma.sql`email DESC`,
    }[sort];
    const where = typeof lastName === "string" ? Prisma.sql`last_name = ${lastName}` : lastName;
    const rows = await database.db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM users WHERE ${where} ORDER BY ${orderBy}`;
    return rows.map((row) => row.id);
  }

  /** Every page of a search (a string: its words; or the query's other fields); the first page's answer too. */
  async function allPages(
    search: string | { emailPrefix: string; search?: string },
    sort: UserSort,
    limit: number,
    db: ListDb = database.db,
  ) {
    const pages = [];
    let cursor: string | null = null;
    do {
      const query = typeof search === "string" ? { search } : search;
      const page = await listUsers({ ...query, sort, cursor, limit }, { db });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 1000);
    return { first: pages[0]!, ids: pages.flatMap((page) => page.items.map((user) => user.id)), pages };
  }

  it.each<UserSort>(["created_desc", "last_name_asc", "email_desc"])(
    "pages a search matching few users (fetched, then ordered) without overlap or gap, counted exactly (%s)",
    async (sort) => {
      const { first, ids, pages } = await allPages("quill", sort, 7);
      expect(ids).toEqual(await expected("Quill", sort));
      expect(ids).toHaveLength(USERS / 400);
      expect(pages.slice(0, -1).every((page) => page.items.length === 7)).toBe(true);
      expect(first).toMatchObject({ total: USERS / 400, totalIsEstimate: false });
    },
  );

  it.each<UserSort>(["created_desc", "created_asc", "last_name_asc", "email_asc"])(
    "pages a search matching many users (a walk of the ordered index) without overlap or gap, its total marked as an estimate (%s)",
    async (sort) => {
      const { first, ids } = await allPages("hopper", sort, 100);
      expect(ids).toEqual(await expected("Hopper", sort));
      expect(first.totalIsEstimate).toBe(true);
      // The planner's estimate of the matches: near the 5,970 Hoppers, not a count.
      expect(first.total).toBeGreaterThan(USERS / 4);
      expect(first.total).toBeLessThan(USERS);
    },
  );

  it("searches anyone's list along the same paths, by name", async () => {
    const page = await listPublicUsers({ search: "hopper", limit: 3 }, { db: database.db });
    expect(page.items.map((user) => user.lastName)).toEqual(["Hopper", "Hopper", "Hopper"]);
    expect(page.items.map((user) => user.id)).toEqual((await expected("Hopper", "created_desc")).slice(0, 3));
    expect(page.totalIsEstimate).toBe(true);
    expect(await listPublicUsers({ search: "quill" }, { db: database.db })).toMatchObject({ total: 30, totalIsEstimate: false });
  });

  // 'user12', 'user120'..'user129', 'user1200'..'user1299' and 'user12000': 112 of the 12,000 addresses.
  it.each<UserSort>(["created_desc", "last_name_desc", "email_asc"])(
    "finds exactly the users whose address begins with an email prefix, in order, through users_email_prefix_idx (%s)",
    async (sort) => {
      const statements: Prisma.Sql[] = [];
      // The service's own statements, recorded on their way to PostgreSQL, to be explained below.
      const recording: ListDb = {
        user: database.db.user,
        $queryRaw: ((strings: TemplateStringsArray, ...values: unknown[]) => {
          const sql = Prisma.sql(strings, ...values);
          statements.push(sql);
          return database.db.$queryRaw`${sql}`;
        }) as ListDb["$queryRaw"],
      };
      const { first, ids } = await allPages({ emailPrefix: " USER12 " }, sort, 25, recording);
      expect(ids).toEqual(await expected(Prisma.sql`email LIKE 'user12%'`, sort));
      expect(ids).toHaveLength(112);
      expect(first).toMatchObject({ total: 112, totalIsEstimate: false });

      const fetched = statements.filter((sql) => sql.sql.includes("WITH matched"));
      expect(fetched).not.toHaveLength(0);
      for (const statement of fetched) {
        const plan = await database.db.$transaction(async (tx) => {
          // As on a table big enough for the planner to prefer an index to reading it all.
          await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
          return tx.$queryRaw<Array<{ "QUERY PLAN": string }>>`EXPLAIN ${statement}`;
        });
        const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
        // A range of the prefix's B-tree (its Bitmap or plain Index Scan), not the trigram lists.
        expect(text).toMatch(/Index Scan (on|using) users_email_prefix_idx/);
        expect(text).not.toContain("users_email_idx");
        expect(text).toMatch(/Index Cond: .*email.*~>=~ 'user12'.*~<~ 'user13'/);
      }
    },
  );

  it("takes an email prefix's `%` and `_` as themselves, walks for a common one, combines it with a search, and ignores it in anyone's list", async () => {
    expect((await listUsers({ emailPrefix: "user_2" }, { db: database.db })).total).toBe(0);
    expect((await listUsers({ emailPrefix: "user%" }, { db: database.db })).total).toBe(0);
    const quills = await allPages({ emailPrefix: "user12", search: "quill" }, "created_desc", 10);
    expect(quills.ids).toEqual(await expected(Prisma.sql`email LIKE 'user12%' AND last_name = 'Quill'`, "created_desc"));
    expect(quills.ids).toHaveLength(2); // user1200, user12000
    // 'user1', 'user10'.., 'user100'.., 'user1000'.., 'user10000'..'user12000': a walk of the ordered index.
    const many = await allPages({ emailPrefix: "user1" }, "created_asc", 100);
    expect(many.ids).toEqual(await expected(Prisma.sql`email LIKE 'user1%'`, "created_asc"));
    expect(many.ids).toHaveLength(3112);
    expect(many.first.totalIsEstimate).toBe(true);
    // Not in the public directory's query: a caller who sends it anyway gets everyone.
    const withPrefix = { emailPrefix: "user12", limit: 1 };
    const anyone = await listPublicUsers(withPrefix, { db: database.db });
    expect(anyone).toMatchObject({ total: USERS, totalIsEstimate: false });
  });

  it("counts every user exactly while there are few, without a search", async () => {
    expect(await listUsers({ limit: 1 }, { db: database.db })).toMatchObject({ total: USERS, totalIsEstimate: false });
  });

  it("walks no further than the estimate allows when a search matches fewer users than expected, and counts them", async () => {
    // The statistics still say half the users are Hoppers; all but three are renamed.
    await database.db.$executeRaw`
      UPDATE users SET last_name = 'Hooper' WHERE last_name = 'Hopper'
        AND id NOT IN (SELECT id FROM users WHERE last_name = 'Hopper' ORDER BY created_at LIMIT 3)`;
    const { first, ids } = await allPages("hopper", "created_desc", 2);
    expect(ids).toEqual(await expected("Hopper", "created_desc"));
    expect(first).toMatchObject({ total: 3, totalIsEstimate: false });
  });

  it("pages a search matching more users than it fetches, when the estimate expected few, and says the total is more", async () => {
    // Added after the statistics were taken: the planner expects next to no Zuse.
    await addUsers(USERS + 1, USERS + SEARCH_FETCH_LIMIT + 50, "Zuse");
    const { first, ids, pages } = await allPages("zuse", "created_desc", 100);
    expect(ids).toEqual(await expected("Zuse", "created_desc"));
    expect(ids).toHaveLength(SEARCH_FETCH_LIMIT + 50);
    expect(pages.slice(0, -1).every((page) => page.items.length === 100)).toBe(true);
    expect(first.totalIsEstimate).toBe(true);
    expect(first.total).toBeGreaterThan(SEARCH_FETCH_LIMIT);
  });
});
