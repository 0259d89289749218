import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, testTemplateDatabase } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import pg from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { startPostgres, startRabbit, type PrivatePostgres, type PrivateRabbit } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { drainAndCount, formatCounts, readStored, type LedgerCounts } from "./ledger";
import { startLoad, type Load } from "./load";
import { purgeDeadLetters, readyMessages } from "./queues";
import { createFleet } from "./workers";

/**
 * The chaos suite: real worker processes, a PostgreSQL cluster and a RabbitMQ node of the suite's
 * own (the shared ones are never touched), a steady stream of registrations with a ledger of the
 * confirmed ones, and one fault per scenario. After each scenario everything is drained and the
 * ledger checked against `users`, `notification_logs` and the SMTP server's deliveries.
 */

const RATE = Number(process.env.CHAOS_RATE ?? 200);
// Short waits keep the suite quick; together (at least 24 s with jitter) they outlast the 10 s
// database outage with room to spare on a busy machine, as the defaults (36 s) do in production.
export const RETRY_DELAYS_MS = "1000,2000,4000,8000,16000";

/** The suite's broker, as the scenarios drain and count it: one node, or a cluster's nodes. */
export interface ChaosBroker {
  /** `AMQP_URL` of the workers and the suite's publisher (a cluster: every node, comma-separated). */
  url: string;
  /** Total messages (ready and unacknowledged) in each queue. */
  queueDepths(): Promise<Record<string, number>>;
  remove(): Promise<void>;
}

/** What a scenario works on: set up by `useChaosSystem`'s beforeAll, torn down by its afterAll. */
export interface ChaosSystem<Broker extends ChaosBroker = PrivateRabbit> {
  postgres: PrivatePostgres;
  rabbit: Broker;
  smtp: TestSmtpServer;
  publisher: Publisher;
  databaseUrl: string;
  fleet: ReturnType<typeof createFleet>;
}

const system = {} as ChaosSystem<ChaosBroker>;
const results: { counts: LedgerCounts; figures: Record<string, number> }[] = [];

export async function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: system.databaseUrl });
  // A scenario stops PostgreSQL while such a client may be open: the query's promise carries what
  // matters, and the error the dying connection also emits must not end the test process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export function probeRegistration() {
  return { registrationId: crypto.randomUUID(), firstName: "Probe", lastName: "Outage", email: "probe@chaos.example.com" };
}

/**
 * Runs one scenario: `seconds` of load with `fault` injected after 2 s of it, then `afterLoad`
 * once the stream has stopped (e.g. a node brought back: the workers drain meanwhile), then drain
 * and count. The ledger's counts are printed and must show nothing lost and nothing doubled; the
 * figures the fault and `afterLoad` may resolve with (e.g. how long the system took to recover) end the line.
 */
export async function scenario(
  name: string,
  fault: (load: Load) => Promise<Record<string, number> | void>,
  options: { seconds?: number; deadLetters?: number; afterLoad?: () => Promise<Record<string, number>> } = {},
) {
  await purgeDeadLetters(system.rabbit.url);
  const load = startLoad(name, system.publisher, RATE);
  let figures: Record<string, number> = {};
  try {
    // The stream flows before, during and after the fault: `seconds` in all, or until the fault is over.
    const minimum = sleep((options.seconds ?? 5) * 1_000);
    await sleep(2_000);
    figures = (await fault(load)) ?? {};
    await Promise.all([minimum, sleep(1_000)]);
  } finally {
    // Also when the fault failed: a stream left running would flood the next scenarios.
    await load.stop();
  }
  if (options.afterLoad) figures = { ...figures, ...(await options.afterLoad()) };
  const counts = await drainAndCount({
    load,
    readStored: () => readStored(system.databaseUrl, load),
    deliveries: system.smtp.deliveries,
    readyMessages: () => readyMessages(system.rabbit.url, RETRY_DELAYS_MS.split(",").length),
    queueDepths: () => system.rabbit.queueDepths(),
  });
  results.push({ counts, figures });
  console.log(`chaos ledger: ${formatCounts(counts, figures)}`);
  expect(system.fleet.crashes).toEqual([]);
  expect(counts.confirmed).toBeGreaterThan(0);
  expect(counts).toMatchObject({
    drainTimedOut: false,
    lost: 0,
    duplicateUsers: 0,
    welcomeRows: counts.users,
    unsent: 0,
    missingEmails: 0,
    duplicateEmails: 0,
    strayEmails: 0,
    leftInQueues: 0,
    deadLetters: options.deadLetters ?? 0,
  });
  return counts;
}

const ROLES = ["receiver", "sender", "reporter"] as const;

/**
 * Replaces the running workers (each stopped gracefully) by one of each role, started with the
 * fleet's environment and `overrides` over it (e.g. a DATABASE_URL through a pooler).
 */
export async function restartFleet(overrides: Record<string, string> = {}) {
  await Promise.all(system.fleet.running().map((worker) => worker.terminate()));
  await Promise.all(ROLES.map((role) => system.fleet.start(role, overrides)));
}

// Below the kernel's ephemeral range (32768–60999), where a fixed port can be taken by any
// outgoing connection's local end.
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 25433);

/** The suite's RabbitMQ node, on `CHAOS_AMQP_PORT` and `CHAOS_DIST_PORT`. */
function startSuiteRabbit(): Promise<PrivateRabbit> {
  return startRabbit({
    nodePort: Number(process.env.CHAOS_AMQP_PORT ?? 25673),
    distPort: Number(process.env.CHAOS_DIST_PORT ?? 25680),
  });
}

/**
 * Starts the suite's PostgreSQL, broker (its RabbitMQ node unless `startBroker` says otherwise), SMTP
 * server and workers once for the file that calls it (inside its describe).
 */
export function useChaosSystem(): ChaosSystem;
export function useChaosSystem<Broker extends ChaosBroker>(startBroker: () => Promise<Broker>): ChaosSystem<Broker>;
export function useChaosSystem(startBroker: () => Promise<ChaosBroker> = startSuiteRabbit): ChaosSystem<ChaosBroker> {
  beforeAll(async () => {
    [system.postgres, system.rabbit, system.smtp] = await Promise.all([
      startPostgres(PG_PORT, { template: testTemplateDatabase() }),
      startBroker(),
      startTestSmtpServer({ parse: false }),
    ]);
    // The migrated test database is made on the suite's own cluster.
    process.env.TEST_DATABASE_URL = system.postgres.url;
    system.databaseUrl = (await createTestDatabase("userstream_chaos")).url;
    system.fleet = createFleet({
      DATABASE_URL: system.databaseUrl,
      AMQP_URL: system.rabbit.url,
      LOG_LEVEL: "warn",
      RETRY_DELAYS_MS,
      SHUTDOWN_TIMEOUT_MS: "15000",
      SMTP_URL: system.smtp.url,
      SMTP_POOL_SIZE: "5",
      EMAIL_FROM: "UserStream <welcome@userstream.test>",
      SEND_LEASE_MS: "2000",
      REPORT_CRON: "off",
    });
    system.publisher = createPublisher(system.rabbit.url, { confirmTimeoutMs: 5_000 });
    await Promise.all(ROLES.map((role) => system.fleet.start(role)));
    // Three RabbitMQ nodes started and joined one after another take minutes on a busy machine
    // (over 120 s in CI, beside the rest of the tests).
  }, 360_000);

  afterAll(async () => {
    await system.publisher?.close();
    await Promise.all((system.fleet?.running() ?? []).map((worker) => worker.kill()));
    await system.smtp?.close();
    await system.rabbit?.remove();
    await system.postgres?.remove();
    console.log(`chaos ledger summary:\n${results.map((result) => formatCounts(result.counts, result.figures)).join("\n")}`);
  }, 60_000);
  return system;
}
