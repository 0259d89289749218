import pg from "pg";

// Last names are made of four syllables picked by the base-20 digits of the row number, so that a
// fragment of one matches a few hundred users per million, as a search for a person would.
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

/**
 * One user in a hundred is called this (100,000 at 10 million): a search for it matches far more
 * users than a page, as a search for a common first name does. No other seeded name or address holds it.
 */
export const COMMON_FIRST_NAME = "Maria";

const syllable = (k: number) => `(ARRAY['${SYLLABLES.join("','")}'])[((i / ${20 ** k}) % 20) + 1]`;

/**
 * Users `from`..`to` (row numbers), created one second apart before `$3`, newest first by row
 * number. One statement: the same rows in chunks over two connections loaded 10 million users in
 * 248 and 232 s where this took 183 s, on the loaded 2-core machine (docs/benchmarks.md, list).
 */
const INSERT_USERS = `
  INSERT INTO users (registration_id, first_name, last_name, email, created_at, updated_at)
  SELECT gen_random_uuid(), first_name, last_name, lower(first_name || '.' || last_name || i) || '@example.com',
    $3::timestamptz - make_interval(secs => i), $3::timestamptz
  FROM (
    SELECT i,
      CASE WHEN i % 100 = 0 THEN '${COMMON_FIRST_NAME}' ELSE (ARRAY['${FIRST_NAMES.join("','")}'])[(i % ${FIRST_NAMES.length}) + 1] END
        AS first_name,
      initcap(${[3, 2, 1, 0].map(syllable).join(" || ")}) AS last_name
    FROM generate_series($1::int, $2::int) AS i
  ) AS seeded`;

interface Definition {
  table: string;
  name: string;
  definition: string;
}

/** Connections that build indexes at once: one per core of the 2-core machine. */
const CONNECTIONS = 2;

/**
 * Index builds sort in memory: the default 64 MB spills a 10-million-row build to disk, and a
 * trigram GIN build flushes its accumulated lists whenever this fills. Per connection.
 */
const MAINTENANCE_WORK_MEM = "1GB";

interface Task {
  name: string;
  sql: string;
}

/**
 * Runs `tasks` on `connections` connections at once, each taking the next task when its last one
 * ends (so the longest should come first); returns the seconds each task took.
 */
async function inParallel(url: string, connections: number, tasks: Task[], settings: string[] = []) {
  const queue = [...tasks];
  const seconds: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const setting of settings) await client.query(setting);
        for (let task = queue.shift(); task; task = queue.shift()) {
          const started = performance.now();
          await client.query(task.sql);
          seconds[task.name] = Math.round(performance.now() - started) / 1000;
        }
      } finally {
        await client.end();
      }
    }),
  );
  return seconds;
}

/**
 * The index builds, longest first, so that the longest (the trigram GIN of `email`, most of the
 * seeding at 10 million users) starts at once on one connection while the other builds the rest,
 * rather than last, alone (B-trees first made the build take a B-tree phase plus the GINs).
 */
function longestFirst(indexes: Definition[]): Definition[] {
  const cost = (index: Definition) =>
    (index.definition.includes(" gin ") ? 10 : 0) + (index.definition.includes("(email") ? 1 : 0);
  return [...indexes].sort((a, b) => cost(b) - cost(a));
}

/** How long seeding took: each step, one after the other; each index build (two at a time, within "build indexes"). */
export interface SeedSeconds {
  steps: Record<string, number>;
  indexes: Record<string, number>;
}

/**
 * Adds users numbered `from`..`to` to the (benchmark's own) database at `url`, as fast as
 * PostgreSQL loads rows: the users table's indexes, primary key and the foreign keys that point
 * at it are dropped first and built again after the load (building an index once is far cheaper
 * than updating it row by row: at 10 million users, minutes), the load is one `INSERT … SELECT
 * generate_series`, the builds run on two connections, longest first, then `VACUUM (ANALYZE)`, so that the table is settled as a production table is between
 * bursts of registrations and the planner has its statistics. Returns the seconds each step took,
 * and each index build's.
 */
export async function seedUsers(url: string, from: number, to: number): Promise<SeedSeconds> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seconds: Record<string, number> = {};
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    seconds[name] = Math.round(performance.now() - started) / 1000;
    return result;
  };
  try {
    const { rows: foreignKeys } = await client.query<Definition>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE confrelid = 'users'::regclass AND contype = 'f'`,
    );
    const { rows: indexes } = await client.query<Definition>(
      `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
       FROM pg_index WHERE indrelid = 'users'::regclass`,
    );
    await step("drop indexes", async () => {
      for (const key of foreignKeys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
      await client.query("ALTER TABLE users DROP CONSTRAINT users_pkey");
      for (const index of indexes) await client.query(`DROP INDEX IF EXISTS ${index.name}`);
    });
    await step("insert", () => client.query(INSERT_USERS, [from, to, new Date()]));
    const builds = await step("build indexes", () =>
      inParallel(
        url,
        CONNECTIONS,
        longestFirst(indexes).map((index) => ({ name: index.name, sql: index.definition })),
        [`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`],
      ),
    );
    await step("keys", async () => {
      await client.query("ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey");
      for (const key of foreignKeys) await client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
    });
    await step("vacuum analyze", () => client.query("VACUUM (ANALYZE) users"));
    return { steps: seconds, indexes: builds };
  } finally {
    await client.end();
  }
}
