// `pnpm bench:list [users] [requests]`: seeds users (generate_series, in one statement), then times
// the users list through HTTP on the production build (`next start`) and on the API server
// (`start:api`): the public `users.list` (tRPC) for the first page, a page 10,000 rows deep (keyset
// cursor) and a search by name fragment, and `GET /api/v1/users` with an API key for a search by
// email prefix (the public list searches names only). The baseline is the
// same two statements (page + total) sent straight to PostgreSQL, in the same run. Prints the
// query plans, a table, writes suites/bench/results/list.json and docs/charts/list.svg.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { createTestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { writeBarChart } from "./lib/chart";
import { startApi, startWeb, type WebServer } from "@userstream/test-support";
import { latencySummary, ratio, report, round, sizeArgs } from "./lib/results";

const { users, requests } = sizeArgs({ users: 1_000_000, requests: 300 });
const PAGE = 20;
const DEPTH = Math.min(10_000, users - PAGE);

// Last names are made of syllables picked by the digits of the row number, so that a fragment of
// one matches a few hundred users out of a million, as a search for a person would.
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ru",
  "sa",
  "to",
  "vi",
  "be",
  "do",
  "fa",
  "gu",
  "ha",
  "ji",
  "ko",
  "le",
  "mo",
  "pa",
  "ri",
  "zu",
];
const FIRST_NAMES = ["Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Alan", "Margaret", "Ken", "Radia", "Tim", "Hedy"];

async function seed(client: pg.Client) {
  const syllable = (k: number) => `(ARRAY['${SYLLABLES.join("','")}'])[((i / ${20 ** k}) % 20) + 1]`;
  await client.query(
    `
    INSERT INTO users (registration_id, first_name, last_name, email, created_at, updated_at)
    SELECT gen_random_uuid(), first_name, last_name, lower(first_name || '.' || last_name || i) || '@example.com',
      now() - make_interval(secs => i), now()
    FROM (
      SELECT i, (ARRAY['${FIRST_NAMES.join("','")}'])[(i % ${FIRST_NAMES.length}) + 1] AS first_name,
        initcap(${[3, 2, 1, 0].map(syllable).join(" || ")}) AS last_name
      FROM generate_series(1, $1::int) AS i
    ) AS seeded`,
    [users],
  );
  await client.query("VACUUM ANALYZE users");
}

/**
 * A read-only API key for the email search, stored as the admin page stores one (its SHA-256, see
 * apps/web/src/server/api-key-service.ts); returns the key.
 */
async function createApiKey(client: pg.Client): Promise<string> {
  const key = `usk_${randomBytes(32).toString("base64url")}`;
  const hash = createHash("sha256").update(key, "utf8").digest("hex");
  await client.query(
    "INSERT INTO api_keys (name, prefix, key_hash, created_by, scopes) VALUES ('bench', $1, $2, 'bench@userstream.local', '{read}')",
    [key.slice(0, 12), hash],
  );
  return key;
}

/**
 * The statements the users list makes (see users-service.ts), for the baseline and the plans: the
 * public list searches the names, the API key's list the email too.
 */
function statements(search: string | undefined, after: { createdAt: Date; id: string } | undefined, withEmail: boolean) {
  const params: unknown[] = [];
  const where: string[] = [];
  if (search) {
    params.push(`%${search}%`);
    const email = withEmail ? ` OR email ILIKE $${params.length}` : "";
    where.push(`(first_name ILIKE $${params.length} OR last_name ILIKE $${params.length}${email})`);
  }
  const countWhere = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const countParams = [...params];
  if (after) {
    params.push(after.createdAt, after.id);
    where.push(`created_at <= $${params.length - 1} AND (created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  return {
    page: {
      text: `SELECT id, first_name, last_name, email, email_verified_at, created_at FROM users ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
      values: params,
    },
    // Without a search, a million users are not counted: the total is the planner's estimate.
    count: search
      ? { text: `SELECT count(*)::int FROM users ${countWhere}`, values: countParams }
      : { text: "SELECT reltuples::float8 FROM pg_class WHERE oid = 'users'::regclass", values: [] },
  };
}

async function time(samples: number, run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, samples); i++) await run(); // warm-up
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const [database, vhost] = await Promise.all([createTestDatabase("userstream_bench"), createTestVhost("userstream-bench")]);
const client = new pg.Client({ connectionString: database.url });
const rows = [];
const plans: Record<string, string> = {};
let servers: WebServer[] = [];
try {
  await client.connect();
  process.stdout.write(`seeding ${users} users… `);
  const seeded = performance.now();
  await seed(client);
  console.log(`${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  const services = { DATABASE_URL: database.url, AMQP_URL: vhost.url };
  servers = await Promise.all([startWeb(services), startApi(services)]);
  const [web, api] = servers as [WebServer, WebServer];

  const {
    rows: [deep],
  } = await client.query<{ created_at: Date; id: string }>(
    `SELECT created_at, id FROM users ORDER BY created_at DESC, id DESC OFFSET ${DEPTH - 1} LIMIT 1`,
  );
  const {
    rows: [sample],
  } = await client.query<{ last_name: string; email: string }>(
    `SELECT last_name, email FROM users ORDER BY created_at DESC OFFSET ${Math.floor(users / 2)} LIMIT 1`,
  );
  if (!deep || !sample) throw new Error("seeding left too few users");
  // The cursor users.list hands out: base64url of its sort key (see apps/web/src/server/user-cursor.ts).
  const cursor = Buffer.from(JSON.stringify({ s: "created_desc", k: [deep.created_at.toISOString(), deep.id] })).toString(
    "base64url",
  );
  const key = await createApiKey(client);
  const emailPrefix = sample.email.slice(0, 12);
  const queries = [
    { name: "first page", input: {}, search: undefined, after: undefined },
    { name: `page ${DEPTH} rows deep`, input: { cursor }, search: undefined, after: { createdAt: deep.created_at, id: deep.id } },
    {
      name: "name fragment",
      input: { search: sample.last_name.slice(2, 8) },
      search: sample.last_name.slice(2, 8),
      after: undefined,
    },
    { name: "email prefix", input: { search: emailPrefix }, search: emailPrefix, after: undefined, withKey: true },
  ];
  for (const query of queries) {
    const sql = statements(query.search, query.after, query.withKey ?? false);
    const explain = async (statement: { text: string; values: unknown[] }) =>
      (await client.query(`EXPLAIN ${statement.text}`, statement.values)).rows
        .map((row: Record<string, string>) => row["QUERY PLAN"])
        .join("\n");
    plans[query.name] = `${await explain(sql.page)}\n-- total:\n${await explain(sql.count)}`;
    console.log(`\n${query.name} (search ${JSON.stringify(query.search ?? null)}):\n${plans[query.name]}`);

    const path = query.withKey
      ? `/api/v1/users?limit=${PAGE}&search=${encodeURIComponent(emailPrefix)}`
      : `/api/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: PAGE, ...query.input } }))}`;
    const headers: Record<string, string> = query.withKey ? { authorization: `Bearer ${key}` } : {};
    let matched = 0;
    const overHttp = (base: string) =>
      time(requests, async () => {
        const response = await fetch(`${base}${path}`, { headers });
        if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
        const body = (await response.json()) as { total: number } | { result: { data: { json: { total: number } } } };
        matched = "total" in body ? body.total : body.result.data.json.total;
      });
    const httpLatency = latencySummary(await overHttp(web.url));
    const apiLatency = latencySummary(await overHttp(api.url));
    const sqlLatency = latencySummary(
      await time(requests, async () => {
        await client.query(sql.page);
        await client.query(sql.count);
      }),
    );
    rows.push({
      query: query.name,
      matched,
      httpP50Ms: httpLatency.p50Ms,
      httpP99Ms: httpLatency.p99Ms,
      apiP50Ms: apiLatency.p50Ms,
      apiP99Ms: apiLatency.p99Ms,
      sqlP50Ms: sqlLatency.p50Ms,
      sqlP99Ms: sqlLatency.p99Ms,
      p99ToSql: ratio(httpLatency.p99Ms, sqlLatency.p99Ms),
    });
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await client.end();
  await Promise.all([database.drop(), vhost.drop()]);
}

await report("list", rows, { users, requests, plans, targets: { httpP99Ms: "< 15", apiP99Ms: "< 15" } });
console.log("target: p99 < 15 ms for each query (httpP99Ms: through Next.js, apiP99Ms: through the API server)");
await writeBarChart("list", `users.list over HTTP with ${users.toLocaleString("en")} users (same run)`, [
  { label: "p99 latency (ms), HTTP through Next.js", bars: rows.map((row) => ({ name: row.query, value: row.httpP99Ms })) },
  { label: "p99 latency (ms), HTTP through the API server", bars: rows.map((row) => ({ name: row.query, value: row.apiP99Ms })) },
  {
    label: "p99 latency (ms), the same SQL straight to PostgreSQL",
    bars: rows.map((row) => ({ name: row.query, value: round(row.sqlP99Ms, 1) })),
  },
]);
