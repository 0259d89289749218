/** The variables the test support reads; every other module takes its settings from here. */

/** The server on which test databases are made (the same default as packages/db). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

/**
 * A process that outlives this one and owns what it creates (e.g. the test script, `$$`), for
 * resources made by a short-lived process for a whole run. Unset: the creating process owns them.
 */
export function ownerPidOverride(): number | undefined {
  const value = process.env.USERSTREAM_TEST_OWNER_PID;
  if (!value) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`USERSTREAM_TEST_OWNER_PID must be a process id: ${value}`);
  return Number(value);
}

/** PostgreSQL's server programs (initdb, pg_ctl), for a cluster of a test's own. */
export function postgresBinDir(): string {
  return process.env.CHAOS_PG_BIN || "/usr/lib/postgresql/15/bin";
}

/** Debian's pgbouncer (`apt-get install pgbouncer`), for a pooler in front of a test's PostgreSQL. */
export function pgbouncerBin(): string {
  return process.env.PGBOUNCER_BIN || "/usr/sbin/pgbouncer";
}

/** RabbitMQ's programs (rabbitmq-server, rabbitmqctl), for a node of a test's own. */
export function rabbitBinDir(): string {
  return process.env.CHAOS_RABBIT_BIN || "/usr/lib/rabbitmq/bin";
}

/** Debian's Python with python3-pika, which the interop tests publish with (a pyenv `python3` on PATH may lack pika). */
export function interopPython(): string {
  return process.env.INTEROP_PYTHON || "/usr/bin/python3";
}

/**
 * Where every worker a test or benchmark starts writes a CPU profile (`--cpu-prof`, which Node
 * refuses in NODE_OPTIONS); unset: no profile.
 */
export function workerCpuProfileDir(): string | undefined {
  return process.env.WORKER_CPU_PROF_DIR || undefined;
}

/** This process's environment, which the processes a test starts inherit (with the test's settings over it). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return process.env;
}
