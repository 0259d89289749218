import type { UserSort } from "@userstream/contracts";
import { Prisma } from "@userstream/db";
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

  /** The ids of the users called `lastName`, in `sort`'s order, as a plain query finds them. */
  async function expected(lastName: string, sort: UserSort): Promise<string[]> {
    const orderBy = {
      created_desc: Prisma.sql`created_at DESC, id DESC`,
      created_asc: Prisma.sql`created_at, id`,
      last_name_asc: Prisma.sql`last_name, first_name, id`,
      last_name_desc: Prisma.sql`last_name DESC, first_name DESC, id DESC`,
      email_asc: Prisma.sql`email`,
      email_desc: Prisma.sql`email DESC`,
    }[sort];
    const rows = await database.db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM users WHERE last_name = ${lastName} ORDER BY ${orderBy}`;
    return rows.map((row) => row.id);
  }

  /** Every page of a search; the first page's answer too. */
  async function allPages(search: string, sort: UserSort, limit: number) {
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await listUsers({ search, sort, cursor, limit }, { db: database.db });
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
