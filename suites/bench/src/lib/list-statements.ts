import type pg from "pg";

/**
 * The statements the users list sends (apps/web/src/server/users-list-query.ts) for one page of 20,
 * in plain SQL, for the benchmark's plans and its SQL baseline. One search word at most.
 */

export const PAGE = 20;

const ORDER_BY = {
  created_desc: "created_at DESC, id DESC",
  created_asc: "created_at ASC, id ASC",
  last_name_asc: "last_name ASC, first_name ASC, id ASC",
  last_name_desc: "last_name DESC, first_name DESC, id DESC",
  email_asc: "email ASC",
  email_desc: "email DESC",
} as const;
export type Sort = keyof typeof ORDER_BY;

const COLUMNS = "id, first_name, last_name, email, email_verified_at, created_at";
/** As users-list-query.ts: a walk may go this much further than the estimate expects. */
const WALK_MARGIN = 4;
const SEARCH_FETCH_LIMIT = 10_000;

export interface ListQuery {
  sort: Sort;
  search?: string;
  /** The full list searches the email too; the public one the names only. */
  withEmail: boolean;
  /** The beginning of the address (the full list only). */
  emailPrefix?: string;
  /** The cursor's row (newest first only). */
  after?: { createdAt: Date; id: string };
}

export interface Statement {
  text: string;
  values: unknown[];
}

function where(query: ListQuery): Statement {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (query.search) {
    values.push(`%${query.search}%`);
    conditions.push(`(first_name ILIKE $1 OR last_name ILIKE $1${query.withEmail ? " OR email ILIKE $1" : ""})`);
  }
  if (query.emailPrefix) {
    values.push(`${query.emailPrefix}%`);
    conditions.push(`email LIKE $${values.length}`);
  }
  return { text: conditions.join(" AND ") || "TRUE", values };
}

function after(query: ListQuery, first: number): Statement {
  if (!query.after) return { text: "TRUE", values: [] };
  return {
    text: `created_at <= $${first} AND (created_at, id) < ($${first}, $${first + 1})`,
    values: [query.after.createdAt, query.after.id],
  };
}

/**
 * The path a page takes: without a search, the order's index and the estimated total; a search
 * with an exact total was fetched through the trigram indexes, one with an estimate walked the
 * order's index (as the service's answer says). Returns the statements in the order they are sent.
 */
export async function statementsOf(client: pg.Client, query: ListQuery, totalIsEstimate: boolean): Promise<Statement[]> {
  const match = where(query);
  const rest = after(query, match.values.length + 1);
  const values = [...match.values, ...rest.values];
  const orderBy = ORDER_BY[query.sort];
  const users: Statement = { text: "SELECT reltuples::float8 FROM pg_class WHERE oid = 'users'::regclass", values: [] };
  if (!query.search && !query.emailPrefix) {
    return [{ text: `SELECT ${COLUMNS} FROM users WHERE ${rest.text} ORDER BY ${orderBy} LIMIT ${PAGE + 1}`, values }, users];
  }
  const estimate: Statement = { text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM users WHERE ${match.text}`, values: match.values };
  if (!totalIsEstimate) {
    const fetch = `WITH matched AS MATERIALIZED (SELECT ${COLUMNS} FROM users WHERE ${match.text} LIMIT ${SEARCH_FETCH_LIMIT + 1})
      SELECT counted.matched, page.* FROM (SELECT count(*)::int AS matched FROM matched) AS counted
      LEFT JOIN LATERAL (SELECT * FROM matched WHERE ${rest.text} ORDER BY ${orderBy} LIMIT ${PAGE + 1}) AS page ON TRUE`;
    return [users, estimate, { text: fetch, values }];
  }
  const [{ reltuples }] = (await client.query<{ reltuples: number }>(users)).rows as [{ reltuples: number }];
  const [{ "QUERY PLAN": plan }] = (await client.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(estimate)).rows as [
    { "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] },
  ];
  const walked = Math.ceil((WALK_MARGIN * (PAGE + 1) * reltuples) / Math.max(plan[0].Plan["Plan Rows"], 1));
  const walk = `SELECT ${COLUMNS} FROM (SELECT ${COLUMNS} FROM users WHERE ${rest.text} ORDER BY ${orderBy} LIMIT ${walked}) AS walked
    WHERE ${match.text} ORDER BY ${orderBy} LIMIT ${PAGE + 1}`;
  return [users, estimate, { text: walk, values }];
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of the statement that reads the users (the last one, or the page without a search). */
export async function planOf(client: pg.Client, statements: Statement[]): Promise<string> {
  const reading = statements.find(
    (statement) => !statement.text.startsWith("SELECT reltuples") && !statement.text.startsWith("EXPLAIN"),
  );
  if (!reading) throw new Error("no statement reads the users");
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${reading.text}`, reading.values);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}
