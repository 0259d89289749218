import { userSearchWords, type UserSort } from "@userstream/contracts";
import { Prisma, type PrismaClient } from "@userstream/db";
import { decodeUserCursor, encodeUserCursor, type SortKey } from "./user-cursor";

export type ListDb = Pick<PrismaClient, "user" | "$queryRaw">;

export interface UserRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

/** Words of a search beyond this many are ignored: each word is one more condition on every row. */
const SEARCH_MAX_WORDS = 5;

/** Above this many users, the unfiltered total is PostgreSQL's estimate rather than a count. */
export const EXACT_TOTAL_LIMIT = 100_000;

/**
 * A search's matches fetched through the trigram indexes to be ordered in memory: at most this many.
 * Each costs a visit to its table row (the trigram indexes always recheck), so more would take
 * longer than walking the ordered index, which a search matching this many finds its page in quickly.
 */
export const SEARCH_FETCH_LIMIT = 10_000;

/**
 * How much further than the estimate expects a search's walk along the ordered index may go before
 * the search is served the other way: estimates of a substring's matches can be off severalfold.
 */
const WALK_MARGIN = 4;

const AS_ROW = Prisma.sql`id, first_name AS "firstName", last_name AS "lastName", email, email_verified_at AS "emailVerifiedAt", created_at AS "createdAt"`;
const COLUMNS = Prisma.sql`id, first_name, last_name, email, email_verified_at, created_at`;

/**
 * Each order of the list as SQL: its ORDER BY (an index serves each: users_created_at_id_idx,
 * users_last_name_first_name_id_idx, users_email_key, read either way), and the rows after a
 * cursor's key as one row comparison (the columns of an order share one direction), with the first
 * column's bound repeated so that PostgreSQL starts the index scan at the cursor (a page 10,000 rows
 * deep costs what the first page costs). Constant text; the key's values are bound parameters.
 */
const ORDERS: Record<UserSort, { orderBy: Prisma.Sql; after(key: SortKey): Prisma.Sql }> = {
  created_desc: {
    orderBy: Prisma.sql`created_at DESC, id DESC`,
    after: (k) =>
      Prisma.sql`created_at <= ${k.createdAt}::timestamptz AND (created_at, id) < (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  created_asc: {
    orderBy: Prisma.sql`created_at ASC, id ASC`,
    after: (k) =>
      Prisma.sql`created_at >= ${k.createdAt}::timestamptz AND (created_at, id) > (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  last_name_asc: {
    orderBy: Prisma.sql`last_name ASC, first_name ASC, id ASC`,
    after: (k) =>
      Prisma.sql`last_name >= ${k.lastName} AND (last_name, first_name, id) > (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  last_name_desc: {
    orderBy: Prisma.sql`last_name DESC, first_name DESC, id DESC`,
    after: (k) =>
      Prisma.sql`last_name <= ${k.lastName} AND (last_name, first_name, id) < (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  email_asc: { orderBy: Prisma.sql`email ASC`, after: (k) => Prisma.sql`email > ${k.email}` },
  email_desc: { orderBy: Prisma.sql`email DESC`, after: (k) => Prisma.sql`email < ${k.email}` },
};

export type SearchScope = "names" | "names and email";

/**
 * A search word as an ILIKE pattern's text: `%` and `_` typed into the search box must match
 * themselves, not act as wildcards. Backslash is PostgreSQL's default LIKE escape character.
 */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/**
 * Every word must appear in one of the columns searched: "ada love" finds Ada Lovelace. The public
 * directory searches the names only, so that its answers never tell whether an address is stored.
 */
function searchCondition(words: string[], scope: SearchScope): Prisma.Sql {
  return words.reduce(
    (condition, word) => {
      const pattern = `%${escapeLikePattern(word)}%`;
      const names = Prisma.sql`first_name ILIKE ${pattern} OR last_name ILIKE ${pattern}`;
      return scope === "names"
        ? Prisma.sql`${condition} AND (${names})`
        : Prisma.sql`${condition} AND (${names} OR email ILIKE ${pattern})`;
    },
    Prisma.sql`TRUE`,
  );
}

/**
 * Addresses that begin with `prefix` (lower-case, as addresses are stored): a range of
 * users_email_prefix_idx (text_pattern_ops, since the collation is not C), where a search word's
 * `email ILIKE '%word%'` reads the trigram lists of the word's every piece, which at 10 million
 * users are long for a common beginning such as a first name's (docs/benchmarks.md). LIKE, not
 * ILIKE: a B-tree serves only a case-sensitive prefix.
 */
function emailPrefixCondition(prefix: string): Prisma.Sql {
  return Prisma.sql`email LIKE ${`${escapeLikePattern(prefix)}%`}`;
}

export interface PageQuery {
  search?: string;
  /** The beginning of the address, lower-case (the full list only: ignored for "names"). */
  emailPrefix?: string;
  sort: UserSort;
  cursor?: string | null;
  limit: number;
}

/** What one page holds: its rows (one more than the page when another follows) and the total. */
interface Rows {
  rows: UserRow[];
  total: number;
  totalIsEstimate: boolean;
}

/** The number of users, as the planner keeps it (`pg_class.reltuples`, current through autovacuum). */
async function estimatedUsers(db: ListDb): Promise<number> {
  const [estimate] = await db.$queryRaw<Array<{ rows: number }>>`
    SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'users'::regclass`;
  return Math.max(0, estimate?.rows ?? 0);
}

/** How many users the planner expects `where` to match (its statistics; no row is read). */
async function estimatedMatches(db: ListDb, where: Prisma.Sql): Promise<number> {
  const [explained] = await db.$queryRaw<
    Array<{ "QUERY PLAN": unknown }>
  >`EXPLAIN (FORMAT JSON) SELECT 1 FROM users WHERE ${where}`;
  const plan = explained?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan: { "Plan Rows": number } }>;
  return parsed[0]?.Plan["Plan Rows"] ?? 0;
}

/**
 * Every user, counted exactly up to {@link EXACT_TOTAL_LIMIT}; beyond it, the planner's estimate,
 * since counting a million rows on every page view takes longer than the page itself.
 */
async function countAllUsers(db: ListDb): Promise<Omit<Rows, "rows">> {
  const estimate = await estimatedUsers(db);
  if (estimate > EXACT_TOTAL_LIMIT) return { total: Math.round(estimate), totalIsEstimate: true };
  return { total: await db.user.count(), totalIsEstimate: false };
}

/** The page in the order's own index, keeping the rows that match (the plan PostgreSQL picks). */
function inOrder(db: ListDb, q: PageQuery, where: Prisma.Sql, after: Prisma.Sql) {
  return db.$queryRaw<UserRow[]>`
    SELECT ${AS_ROW} FROM users WHERE ${where} AND ${after} ORDER BY ${ORDERS[q.sort].orderBy} LIMIT ${q.limit + 1}`;
}

/**
 * The page from at most `rows` rows of the order's index after the cursor: the subquery's LIMIT
 * keeps PostgreSQL on that index (the search cannot be pushed into it, so the trigram indexes are
 * not used) and bounds the walk when the search turns out to match fewer rows than estimated.
 */
function walkInOrder(db: ListDb, q: PageQuery, where: Prisma.Sql, after: Prisma.Sql, rows: number) {
  const { orderBy } = ORDERS[q.sort];
  return db.$queryRaw<UserRow[]>`
    SELECT ${AS_ROW} FROM (SELECT ${COLUMNS} FROM users WHERE ${after} ORDER BY ${orderBy} LIMIT ${rows}) AS walked
    WHERE ${where} ORDER BY ${orderBy} LIMIT ${q.limit + 1}`;
}

/**
 * The matches fetched first, through the trigram indexes or, for an email prefix,
 * users_email_prefix_idx (at most SEARCH_FETCH_LIMIT + 1: the materialised CTE and its LIMIT keep
 * PostgreSQL from turning it into a walk of an ordered index), then counted, ordered and paged in
 * memory. Null when there were more than SEARCH_FETCH_LIMIT.
 */
async function fetchThenOrder(db: ListDb, q: PageQuery, where: Prisma.Sql, after: Prisma.Sql) {
  const found = await db.$queryRaw<Array<{ matched: number } & (UserRow | Record<keyof UserRow, null>)>>`
    WITH matched AS MATERIALIZED (SELECT ${COLUMNS} FROM users WHERE ${where} LIMIT ${SEARCH_FETCH_LIMIT + 1})
    SELECT counted.matched, ${AS_ROW} FROM (SELECT count(*)::int AS matched FROM matched) AS counted
    LEFT JOIN LATERAL (SELECT * FROM matched WHERE ${after} ORDER BY ${ORDERS[q.sort].orderBy} LIMIT ${q.limit + 1}) AS page ON TRUE`;
  const matched = found[0]?.matched ?? 0;
  if (matched > SEARCH_FETCH_LIMIT) return null;
  // The count comes on every row, and alone (with null columns) when no row of the page matched.
  const rows = found.filter((row): row is { matched: number } & UserRow => row.id !== null);
  return { rows, total: matched, totalIsEstimate: false };
}

/**
 * A search's page. A search that matches few users is fetched through the trigram indexes, then
 * ordered: walking an ordered index for it would read most of the table (2.2 s at 10 million
 * users). One that matches many walks the order's index and keeps the matches: with a match in
 * every hundred rows, a page of 20 is found in about 2,000 rows, where fetching the matches first
 * would read every one of them. The planner's estimate picks the path (the walk when it is expected
 * to read fewer rows than the matches number); each path falls back to the other when the estimate
 * proves wrong. The total is exact when the matches were fetched, else the planner's estimate.
 */
async function searchRows(db: ListDb, q: PageQuery, where: Prisma.Sql, after: Prisma.Sql): Promise<Rows> {
  const [users, estimate] = await Promise.all([estimatedUsers(db), estimatedMatches(db, where)]);
  const expectedWalk = ((q.limit + 1) * users) / Math.max(estimate, 1);
  if (users > 0 && expectedWalk < estimate) {
    const rows = await walkInOrder(db, q, where, after, Math.ceil(WALK_MARGIN * expectedWalk));
    if (rows.length > q.limit) return { rows, total: Math.round(estimate), totalIsEstimate: true };
  }
  const fetched = await fetchThenOrder(db, q, where, after);
  if (fetched) return fetched;
  const total = Math.max(Math.round(estimate), SEARCH_FETCH_LIMIT + 1);
  return { rows: await inOrder(db, q, where, after), total, totalIsEstimate: true };
}

/**
 * One page of users in the chosen order (newest first by default). Keyset pagination: the next
 * page starts strictly after the last row returned (its sort key is the cursor), so pages never
 * overlap or skip rows even while users are being added, and deep pages cost the same as the
 * first (no OFFSET). Search is a case-insensitive substring match (ILIKE) of each word; an email
 * prefix (the full list's) matches the address's beginning, and both must hold when both are given.
 *
 * Tagged `$queryRaw` rather than `findMany`: this runs on every page view, and Prisma's query
 * compiler costs more CPU per typed query than PostgreSQL takes to answer it (docs/benchmarks.md).
 */
export async function queryPage(q: PageQuery, scope: SearchScope, db: ListDb) {
  const words = userSearchWords(q.search ?? "").slice(0, SEARCH_MAX_WORDS);
  const prefix = scope === "names and email" ? q.emailPrefix : undefined;
  const after = q.cursor ? ORDERS[q.sort].after(decodeUserCursor(q.cursor).key) : Prisma.sql`TRUE`;
  const where = prefix
    ? Prisma.sql`${searchCondition(words, scope)} AND ${emailPrefixCondition(prefix)}`
    : searchCondition(words, scope);
  const { rows, total, totalIsEstimate } =
    words.length || prefix
      ? await searchRows(db, q, where, after)
      : await Promise.all([inOrder(db, q, Prisma.sql`TRUE`, after), countAllUsers(db)]).then(([rows, count]) => ({
          rows,
          ...count,
        }));
  // One extra row tells whether another page exists without a second query.
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeUserCursor({ sort: q.sort, key: last }) : null;
  return { rows: page, nextCursor, total, totalIsEstimate };
}
