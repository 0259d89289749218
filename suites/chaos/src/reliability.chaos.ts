import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "amqplib";
import { DEAD_LETTER_HEADERS, QUEUES, UserRegistrationV1, createEnvelope, deadLetterQueue } from "@userstream/contracts";
import { createTestDatabase, testTemplateDatabase } from "@userstream/db/testing";
import { PublishError, createPublisher, type Publisher } from "@userstream/messaging";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  metricSample,
  startPostgres,
  startRabbit,
  waitFor,
  type PrivatePostgres,
  type PrivateRabbit,
} from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { drainAndCount, formatCounts, readStored, type LedgerCounts } from "./ledger";
import { startLoad, type Load } from "./load";
import { purgeDeadLetters, readyMessages } from "./queues";
import { createFleet, type ChaosWorker } from "./workers";

/**
 * The chaos suite: real worker processes, a PostgreSQL cluster and a RabbitMQ node of the suite's
 * own (the shared ones are never touched), a steady stream of registrations with a ledger of the
 * confirmed ones, and one fault per scenario. After each scenario everything is drained and the
 * ledger checked against `users`, `notification_logs` and the SMTP server's deliveries.
 */

const RATE = Number(process.env.CHAOS_RATE ?? 200);
// Short waits keep the suite quick; together (at least 24 s with jitter) they outlast the 10 s
// database outage with room to spare on a busy machine, as the defaults (36 s) do in production.
const RETRY_DELAYS_MS = "1000,2000,4000,8000,16000";

let postgres: PrivatePostgres;
let rabbit: PrivateRabbit;
let smtp: TestSmtpServer;
let publisher: Publisher;
let databaseUrl: string;
let fleet: ReturnType<typeof createFleet>;
const results: LedgerCounts[] = [];

async function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function probeRegistration() {
  return { registrationId: crypto.randomUUID(), firstName: "Probe", lastName: "Outage", email: "probe@chaos.example.com" };
}

/**
 * Runs one scenario: `seconds` of load with `fault` injected after 2 s of it, then drain
 * and count. The ledger's counts are printed and must show nothing lost and nothing doubled.
 */
async function scenario(
  name: string,
  fault: (load: Load) => Promise<void>,
  options: { seconds?: number; deadLetters?: number } = {},
) {
  await purgeDeadLetters(rabbit.url);
  const load = startLoad(name, publisher, RATE);
  try {
    // The stream flows before, during and after the fault: `seconds` in all, or until the fault is over.
    const minimum = sleep((options.seconds ?? 5) * 1_000);
    await sleep(2_000);
    await fault(load);
    await Promise.all([minimum, sleep(1_000)]);
  } finally {
    // Also when the fault failed: a stream left running would flood the next scenarios.
    await load.stop();
  }
  const counts = await drainAndCount({
    load,
    readStored: () => readStored(databaseUrl, load),
    deliveries: smtp.deliveries,
    readyMessages: () => readyMessages(rabbit.url, RETRY_DELAYS_MS.split(",").length),
    queueDepths: () => rabbit.queueDepths(),
  });
  results.push(counts);
  console.log(`chaos ledger: ${formatCounts(counts)}`);
  expect(fleet.crashes).toEqual([]);
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

describe("chaos: nothing lost, nothing doubled", () => {
  beforeAll(async () => {
    // Below the kernel's ephemeral range (32768–60999), where a fixed port can be taken by any
    // outgoing connection's local end.
    const [pgPort, nodePort, distPort] = [25433, 25673, 25680];
    [postgres, rabbit, smtp] = await Promise.all([
      startPostgres(Number(process.env.CHAOS_PG_PORT ?? pgPort), { template: testTemplateDatabase() }),
      startRabbit({
        nodePort: Number(process.env.CHAOS_AMQP_PORT ?? nodePort),
        distPort: Number(process.env.CHAOS_DIST_PORT ?? distPort),
      }),
      startTestSmtpServer({ parse: false }),
    ]);
    // The migrated test database is made on the suite's own cluster.
    process.env.TEST_DATABASE_URL = postgres.url;
    databaseUrl = (await createTestDatabase("userstream_chaos")).url;
    fleet = createFleet({
      DATABASE_URL: databaseUrl,
      AMQP_URL: rabbit.url,
      LOG_LEVEL: "warn",
      RETRY_DELAYS_MS,
      SHUTDOWN_TIMEOUT_MS: "15000",
      SMTP_URL: smtp.url,
      SMTP_POOL_SIZE: "5",
      EMAIL_FROM: "UserStream <welcome@userstream.test>",
      SEND_LEASE_MS: "2000",
      REPORT_CRON: "off",
    });
    publisher = createPublisher(rabbit.url, { confirmTimeoutMs: 5_000 });
    await Promise.all([fleet.start("receiver"), fleet.start("sender"), fleet.start("reporter")]);
  }, 120_000);

  afterAll(async () => {
    await publisher?.close();
    await Promise.all((fleet?.running() ?? []).map((worker) => worker.kill()));
    await smtp?.close();
    await rabbit?.remove();
    await postgres?.remove();
    console.log(`chaos ledger summary:\n${results.map(formatCounts).join("\n")}`);
  }, 60_000);

  it("kill -9 the receiver before its commit", async () => {
    // A lock on `registrations` holds every receiver transaction open before its commit.
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    await scenario("receiver-killed-before-commit", async () => {
      await locker.query("BEGIN; LOCK TABLE registrations IN SHARE ROW EXCLUSIVE MODE");
      try {
        await waitFor(async () => (await sql("SELECT 1 FROM pg_locks WHERE NOT granted")).length > 0, 30_000);
        await fleet.only("receiver").kill();
      } finally {
        await locker.query("COMMIT");
      }
      await fleet.start("receiver");
    });
    await locker.end();
  });

  it("kill -9 the receiver after its commit, before its ack", async () => {
    // A memory alarm blocks publishers: receivers commit, then wait on the `email.send` hand-off.
    const committedNotSettled = async (receiver: ChaosWorker) => {
      const text = await receiver.metrics();
      const stored = ["created", "duplicate", "redelivered"].map((result) =>
        metricSample(text, `receiver_registrations_total{result="${result}"}`),
      );
      const settled = ["acked", "retried", "dead-lettered"].map((outcome) =>
        metricSample(text, `receiver_messages_total{outcome="${outcome}"}`),
      );
      return stored.reduce((a, b) => a + b, 0) - settled.reduce((a, b) => a + b, 0);
    };
    let restarted: ChaosWorker | undefined;
    await scenario("receiver-killed-after-commit", async () => {
      const victim = fleet.only("receiver");
      // Paused for a second, the receiver finds a backlog when it resumes under the alarm.
      victim.child.kill("SIGSTOP");
      await sleep(1_000);
      await rabbit.ctl("set_vm_memory_high_watermark", "0");
      victim.child.kill("SIGCONT");
      try {
        await waitFor(async () => (await committedNotSettled(victim)) >= 10, 30_000);
        await victim.kill();
      } finally {
        await rabbit.ctl("set_vm_memory_high_watermark", "0.4");
      }
      restarted = await fleet.start("receiver");
    });
    // The committed registrations came back and were recognised, not stored again.
    const redelivered = restarted
      ? metricSample(await restarted.metrics(), 'receiver_registrations_total{result="redelivered"}')
      : 0;
    expect(redelivered).toBeGreaterThan(0);
  });

  it("kill -9 the sender mid-send, the SMTP server holding the DATA reply", async () => {
    await scenario("sender-killed-mid-send", async () => {
      smtp.holdData();
      try {
        await waitFor(async () => smtp.heldDataCount() > 0, 30_000);
        await fleet.only("sender").kill();
        await waitFor(async () => smtp.heldDataCount() === 0, 30_000);
      } finally {
        smtp.resumeData();
      }
      await fleet.start("sender");
    });
  });

  it("restart RabbitMQ under load: publishes fail and /readyz says so while it is away, then everyone reconnects", async () => {
    const counts = await scenario(
      "rabbitmq-restarted",
      async () => {
        await rabbit.stopApp();
        try {
          // What the web's registration endpoint gets while the broker is away: an error, never "accepted".
          await expect(
            publisher.publish(UserRegistrationV1, createEnvelope(UserRegistrationV1, probeRegistration())),
          ).rejects.toBeInstanceOf(PublishError);
          await fleet.untilReadiness("broker", "down");
          await sleep(2_000);
        } finally {
          await rabbit.startApp();
        }
      },
      { seconds: 8 },
    );
    // Everything drained, so every consumer is back: /readyz says so again.
    await fleet.untilReadiness("broker", "up");
    // The stream's publishes while the broker was away were refused too.
    expect(counts.refused).toBeGreaterThan(0);
  });

  it("stop PostgreSQL for 10 s under load: /readyz unready meanwhile, stored after it returns, retries bounded", async () => {
    const retried = async () =>
      metricSample(await fleet.only("receiver").metrics(), 'receiver_messages_total{outcome="retried"}');
    const before = await retried();
    const counts = await scenario(
      "postgres-stopped",
      async () => {
        await postgres.stop();
        const outage = sleep(10_000);
        try {
          await fleet.untilReadiness("database", "down");
          await outage;
        } finally {
          await postgres.start();
        }
      },
      { seconds: 12 },
    );
    await fleet.untilReadiness("database", "up");
    // The outage made the receiver retry, and there is no hot requeue loop: each registration that
    // reached the queue (confirmed, or refused yet taken) is retried at most once per delay level.
    const levels = RETRY_DELAYS_MS.split(",").length;
    const retries = (await retried()) - before;
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(levels * (counts.confirmed + counts.refused));
  });

  it("poison messages mixed into the stream are dead-lettered once each", async () => {
    const poison = [
      Buffer.from("not json"),
      Buffer.from("{}"),
      Buffer.from(JSON.stringify({ type: "user.registration", version: 1, id: "not-a-uuid", payload: {} })),
      Buffer.from(
        JSON.stringify({
          type: "user.registration",
          version: 99,
          id: crypto.randomUUID(),
          occurredAt: new Date().toISOString(),
          payload: {},
        }),
      ),
    ];
    const connection = await connect(rabbit.url);
    const channel = await connection.createConfirmChannel();
    const ids: string[] = [];
    await scenario(
      "poison-messages",
      async () => {
        for (let round = 0; round < 3; round++) {
          for (const content of poison) {
            const messageId = crypto.randomUUID();
            ids.push(messageId);
            channel.sendToQueue(QUEUES.registration, content, { persistent: true, messageId });
          }
          await channel.waitForConfirms();
          await sleep(500);
        }
      },
      { deadLetters: 12 },
    );
    const parked: { messageId: string; reason: unknown }[] = [];
    for (
      let message = await channel.get(deadLetterQueue(QUEUES.registration));
      message;
      message = await channel.get(deadLetterQueue(QUEUES.registration))
    ) {
      parked.push({
        messageId: String(message.properties.messageId),
        reason: message.properties.headers?.[DEAD_LETTER_HEADERS.reason],
      });
      channel.ack(message);
    }
    await connection.close();
    expect(parked.map((message) => message.messageId).sort()).toEqual([...ids].sort());
    // Every one is malformed but the well-formed envelope of a version the receiver does not handle.
    expect(new Set(parked.map((message) => message.reason))).toEqual(new Set(["malformed", "unsupported_version"]));
  });

  it("SIGTERM every worker under load, then restart them", async () => {
    await scenario("all-workers-terminated", async () => {
      const exits = await Promise.all(fleet.running().map((worker) => worker.terminate()));
      await Promise.all([fleet.start("receiver"), fleet.start("sender"), fleet.start("reporter")]);
      // Exit code 0: each finished its in-flight work and closed in order, within its timeout.
      expect(exits).toEqual(exits.map(() => ({ code: 0, signal: null })));
    });
  });

  it("three receivers and two senders compete; one receiver is killed mid-run", async () => {
    await Promise.all([fleet.start("receiver"), fleet.start("receiver"), fleet.start("sender")]);
    await scenario("competing-consumers", async () => {
      const [victim] = fleet.running("receiver");
      await victim?.kill();
    });
    expect(fleet.running("receiver")).toHaveLength(2);
    expect(fleet.running("sender")).toHaveLength(2);
  });
});
