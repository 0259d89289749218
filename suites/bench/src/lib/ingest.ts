import { connect, type Channel } from "amqplib";
import pg from "pg";
import { QUEUES, UserRegistrationV1, createEnvelope, type UserRegistrationMessage } from "@userstream/contracts";
import { assertTopology, createPublisher } from "@userstream/messaging";
import { spawnWorker, waitFor, type StartedProcess } from "@userstream/test-support";
import { startCpuMeter, startScript } from "./processes";
import { latencySummary, round } from "./results";

export type IngestConsumer = "receiver" | "baseline";

export interface IngestRun {
  databaseUrl: string;
  amqpUrl: string;
  consumer: IngestConsumer;
  /** How many consumer processes compete for the queue. */
  processes: number;
  count: number;
  /** Registrations published per second; 0 publishes as fast as confirms come back. */
  ratePerSecond: number;
}

/** Starts one consumer process: the project's receiver, or the baseline. */
function startConsumer(run: IngestRun): StartedProcess {
  if (run.consumer === "baseline") return startScript("src/ingest-baseline-consumer.ts", [run.amqpUrl, run.databaseUrl]);
  // At warn, as the benchmark ran it before the suites moved (the baseline logs nothing either); at
  // info its line per registration costs about 10 µs more (docs/benchmarks.md, "ingest").
  const env = { DATABASE_URL: run.databaseUrl, AMQP_URL: run.amqpUrl, LOG_LEVEL: "warn" };
  return spawnWorker("receiver", env, { keepOutput: 20_000 });
}

const NAMES = ["Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Alan", "Margaret"];

function registrations(count: number): UserRegistrationMessage[] {
  const tag = Date.now().toString(36);
  return Array.from({ length: count }, (_, i) =>
    createEnvelope(UserRegistrationV1, {
      registrationId: crypto.randomUUID(),
      firstName: NAMES[i % NAMES.length] as string,
      lastName: "Lovelace",
      email: `ada.${tag}.${i}@example.com`,
    }),
  );
}

/**
 * Publishes `count` contract-valid registrations through the project's publisher (each confirmed)
 * and waits until the consumers have stored them all. Returns the end-to-end rate, publish →
 * stored latency (to the start of the storing transaction, PostgreSQL's now()) and the CPU the
 * consumers, the broker and PostgreSQL used.
 */
export async function measureIngest(run: IngestRun) {
  const db = new pg.Client({ connectionString: run.databaseUrl });
  await db.connect();
  const connection = await connect(run.amqpUrl);
  const consumers: StartedProcess[] = [];
  try {
    const channel = await connection.createChannel();
    await assertTopology(channel);
    await db.query("TRUNCATE users, registrations, notification_logs CASCADE");
    await channel.purgeQueue(QUEUES.registration);
    await channel.purgeQueue(QUEUES.emailSend);
    for (let i = 0; i < run.processes; i++) consumers.push(startConsumer(run));
    return await publishAndWait(run, db, channel, consumers);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${consumers.map((c) => c.output()).join("\n")}`, { cause: err });
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    await connection.close();
    await db.end();
  }
}

async function publishAndWait(run: IngestRun, db: pg.Client, channel: Channel, consumers: StartedProcess[]) {
  await waitFor(async () => (await channel.checkQueue(QUEUES.registration)).consumerCount >= run.processes, {
    what: `${run.processes} ${run.consumer} consumer(s)`,
    timeoutMs: 60_000,
    intervalMs: 100,
  });

  const messages = registrations(run.count);
  const publisher = createPublisher(run.amqpUrl);
  await publisher.publish(UserRegistrationV1, registrations(1)[0] as UserRegistrationMessage); // connects
  await waitFor(async () => (await db.query("SELECT 1 FROM users LIMIT 1")).rowCount === 1, {
    what: "the warm-up registration",
    timeoutMs: 60_000,
    intervalMs: 20,
  });
  await db.query("TRUNCATE users, registrations, notification_logs CASCADE");

  const cpuMeter = await startCpuMeter(consumers.map((c) => c.child.pid as number));
  const publishedAt = new Map<string, number>();
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < messages.length; i++) {
    if (run.ratePerSecond > 0) {
      const due = started + (i * 1000) / run.ratePerSecond;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    // Pipelined confirms, with a bounded window.
    while (inFlight.size >= 1_000) await Promise.race(inFlight);
    const message = messages[i] as UserRegistrationMessage;
    publishedAt.set(message.payload.registrationId, Date.now());
    const work = publisher.publish(UserRegistrationV1, message);
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }
  await Promise.all(inFlight);
  const published = Date.now();
  await waitFor(
    async () => ((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]?.n ?? 0) >= run.count,
    {
      what: `${run.count} stored registrations`,
      timeoutMs: 300_000,
      intervalMs: 100,
    },
  );
  const cpu = await cpuMeter.perItem(run.count);

  const { rows } = await db.query<{ registration_id: string; at: string }>(
    "SELECT registration_id, (extract(epoch FROM created_at) * 1000)::bigint AS at FROM users",
  );
  const latencies = rows.map((row) => Number(row.at) - (publishedAt.get(row.registration_id) ?? Number.NaN));
  const lastStored = Math.max(...rows.map((row) => Number(row.at)));
  await publisher.close();

  const seconds = (lastStored - started) / 1000;
  return {
    consumer: run.consumer,
    processes: run.processes,
    mode: run.ratePerSecond > 0 ? `paced ${run.ratePerSecond}/s` : "full speed",
    registrations: run.count,
    perSecond: Math.round(run.count / seconds),
    publishPerSecond: Math.round(run.count / ((published - started) / 1000)),
    ...latencySummary(latencies),
    consumerCpuUsPerMessage: cpu.processesUs,
    brokerCpuUsPerMessage: cpu.brokerUs,
    databaseCpuUsPerMessage: cpu.databaseUs,
    machineCpuUsPerMessage: cpu.machineUs,
    machineBusyPercent: cpu.machineBusyPercent,
    seconds: round(seconds, 2),
  };
}
