// `pnpm bench:list [users] [requests]`: seeds users (lib/seed-users.ts: one generate_series, the
// indexes built after the load on two connections), then times the users list through HTTP
// on the API server (`start:api`, the procedures without Next.js): the public `users.list` (tRPC)
// for the first page, a page 10,000 rows deep (keyset cursor), a search by name fragment and by a
// common first name, and `GET /api/v1/users` with an API key (the full list) for an address's
// first 12 characters as a search word and as `emailPrefix`, the common name (names and email) and
// each of the other orders. The baseline is the statements the list sends (lib/list-statements.ts)
// sent straight to PostgreSQL, in the same run. Prints each statement's `EXPLAIN ANALYZE`, a table,
// writes suites/bench/results/list.json and docs/charts/list.svg. Ctrl-C (or SIGTERM) drops its
// database and vhost before it exits.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { startApi, type WebServer } from "@userstream/test-support";
import { writeBarChart } from "./lib/chart";
import { benchPlace } from "./lib/cleanup-on-interrupt";
import { PAGE, planOf, statementsOf, type ListQuery, type Sort } from "./lib/list-statements";
import { latencySummary, machine, ratio, report, round, sizeArgs } from "./lib/results";
import { COMMON_FIRST_NAME, seedUsers, type SeedSeconds } from "./lib/seed-users";

const { users, requests } = sizeArgs({ users: 1_000_000, requests: 300 });
const DEPTH = Math.min(10_000, users - PAGE);

/**
 * A read-only API key for the full list, stored as the admin page stores one (its SHA-256, see
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

interface Query extends ListQuery {
  name: string;
  /** The public `users.list` (tRPC) or the full list with an API key (REST). */
  api: "public" | "key";
  cursor?: string;
}

/** The request a query makes: its path and headers. */
function request(query: Query, key: string): { path: string; headers: Record<string, string> } {
  if (query.api === "key") {
    const params = new URLSearchParams({
      limit: String(PAGE),
      sort: query.sort,
      ...(query.search ? { search: query.search } : {}),
      ...(query.emailPrefix ? { emailPrefix: query.emailPrefix } : {}),
    });
    return { path: `/api/v1/users?${params}`, headers: { authorization: `Bearer ${key}` } };
  }
  const input = {
    limit: PAGE,
    sort: query.sort,
    ...(query.search ? { search: query.search } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
  return { path: `/api/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, headers: {} };
}

let server: WebServer | undefined;
let sql: pg.Client | undefined;
const { database, vhost, drop } = await benchPlace(async () => {
  await server?.stop();
  await sql?.end().catch(() => undefined);
});

const rows = [];
const plans: Record<string, string> = {};
let seedSeconds: SeedSeconds = { steps: {}, indexes: {} };
try {
  console.log(`database ${new URL(database.url).pathname.slice(1)}, vhost ${new URL(vhost.url).pathname.slice(1)}`);
  process.stdout.write(`seeding ${users} users… `);
  seedSeconds = await seedUsers(database.url, 1, users);
  console.log(
    `${Object.values(seedSeconds.steps)
      .reduce((sum, s) => sum + s, 0)
      .toFixed(1)} s`,
    seedSeconds,
  );
  const client = (sql = new pg.Client({ connectionString: database.url }));
  await client.connect();
  // One client asking thousands of pages with one key: no per-key limit.
  const api = (server = await startApi({ DATABASE_URL: database.url, AMQP_URL: vhost.url, API_KEY_RATE_LIMIT: "off" }));
  const loadDuring = machine().loadAverage;

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
  const key = await createApiKey(client);
  const queries: Query[] = [
    { name: "first page", api: "public", sort: "created_desc", withEmail: false },
    {
      name: `page ${DEPTH} rows deep`,
      api: "public",
      sort: "created_desc",
      withEmail: false,
      after: { createdAt: deep.created_at, id: deep.id },
      // The cursor users.list hands out: base64url of its sort key (apps/web/src/server/user-cursor.ts).
      cursor: Buffer.from(JSON.stringify({ s: "created_desc", k: [deep.created_at.toISOString(), deep.id] })).toString(
        "base64url",
      ),
    },
    { name: "name fragment", api: "public", sort: "created_desc", withEmail: false, search: sample.last_name.slice(2, 8) },
    { name: "common first name", api: "public", sort: "created_desc", withEmail: false, search: COMMON_FIRST_NAME },
    // The same 12 characters, as a search word (a substring of names or address: the trigram
    // indexes) and as the beginning of the address (users_email_prefix_idx).
    { name: "email search (key)", api: "key", sort: "created_desc", withEmail: true, search: sample.email.slice(0, 12) },
    { name: "email prefix (key)", api: "key", sort: "created_desc", withEmail: true, emailPrefix: sample.email.slice(0, 12) },
    { name: "common name (key)", api: "key", sort: "created_desc", withEmail: true, search: COMMON_FIRST_NAME.toLowerCase() },
    ...(["created_asc", "last_name_asc", "last_name_desc", "email_asc", "email_desc"] as Sort[]).map((sort): Query => ({
      name: `sort ${sort} (key)`,
      api: "key",
      sort,
      withEmail: true,
    })),
  ];
  for (const query of queries) {
    const { path, headers } = request(query, key);
    let answer = { total: 0, totalIsEstimate: false };
    const apiLatency = latencySummary(
      await time(requests, async () => {
        const response = await fetch(`${api.url}${path}`, { headers });
        if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
        const body = (await response.json()) as typeof answer | { result: { data: { json: typeof answer } } };
        const { total, totalIsEstimate } = "result" in body ? body.result.data.json : body;
        answer = { total, totalIsEstimate };
      }),
    );
    const statements = await statementsOf(client, query, answer.totalIsEstimate);
    plans[query.name] = await planOf(client, statements);
    console.log(
      `\n${query.name} (search ${JSON.stringify(query.search ?? null)}${query.emailPrefix ? `, emailPrefix ${JSON.stringify(query.emailPrefix)}` : ""}, ${JSON.stringify(answer)}):\n${plans[query.name]}`,
    );
    const sqlLatency = latencySummary(
      await time(requests, async () => {
        for (const statement of statements) await client.query(statement);
      }),
    );
    rows.push({
      query: query.name,
      total: answer.totalIsEstimate ? `≈${answer.total}` : answer.total,
      apiP50Ms: apiLatency.p50Ms,
      apiP99Ms: apiLatency.p99Ms,
      sqlP50Ms: sqlLatency.p50Ms,
      sqlP99Ms: sqlLatency.p99Ms,
      p99ToSql: ratio(apiLatency.p99Ms, sqlLatency.p99Ms),
    });
  }
  console.log(`load average when the servers started: ${loadDuring.join(", ")}; at the end: ${machine().loadAverage.join(", ")}`);
} finally {
  await drop();
}

await report("list", rows, { users, requests, seedSeconds, plans, targets: { apiP99Ms: "< 15" } });
console.log("target: p99 < 15 ms for each query through the API server (apiP99Ms)");
await writeBarChart("list", `users list over HTTP with ${users.toLocaleString("en")} users (same run)`, [
  { label: "p99 latency (ms), HTTP through the API server", bars: rows.map((row) => ({ name: row.query, value: row.apiP99Ms })) },
  {
    label: "p99 latency (ms), the same SQL straight to PostgreSQL",
    bars: rows.map((row) => ({ name: row.query, value: round(row.sqlP99Ms, 1) })),
  },
]);
