import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "amqplib";
import { DEAD_LETTER_HEADERS, QUEUES, UserRegistrationV1, createEnvelope, deadLetterQueue } from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { metricSample, startPgBouncer, waitFor } from "@userstream/test-support";
import { RETRY_DELAYS_MS, probeRegistration, restartFleet, scenario, sql, useChaosSystem } from "./harness";
import type { ChaosWorker } from "./workers";

/*
 * The chaos suite's scenarios: one fault each under a steady stream of registrations, every one
 * ending with the ledger's check that nothing was lost or doubled (harness.ts).
 */
describe("chaos: nothing lost, nothing doubled", () => {
  const system = useChaosSystem();

  it("kill -9 the receiver before its commit", async () => {
    // A lock on `registrations` holds every receiver transaction open before its commit.
    const locker = new pg.Client({ connectionString: system.databaseUrl });
    locker.on("error", () => undefined); // as in harness.ts's sql(): the query's promise carries the error
    await locker.connect();
    await scenario("receiver-killed-before-commit", async () => {
      await locker.query("BEGIN; LOCK TABLE registrations IN SHARE ROW EXCLUSIVE MODE");
      try {
        await waitFor(async () => (await sql("SELECT 1 FROM pg_locks WHERE NOT granted")).length > 0, 30_000);
        await system.fleet.only("receiver").kill();
      } finally {
        await locker.query("COMMIT");
      }
      await system.fleet.start("receiver");
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
      const victim = system.fleet.only("receiver");
      // Paused for a second, the receiver finds a backlog when it resumes under the alarm.
      victim.child.kill("SIGSTOP");
      await sleep(1_000);
      await system.rabbit.ctl("set_vm_memory_high_watermark", "0");
      victim.child.kill("SIGCONT");
      try {
        await waitFor(async () => (await committedNotSettled(victim)) >= 10, 30_000);
        await victim.kill();
      } finally {
        await system.rabbit.ctl("set_vm_memory_high_watermark", "0.4");
      }
      restarted = await system.fleet.start("receiver");
    });
    // The committed registrations came back and were recognised, not stored again.
    const redelivered = restarted
      ? metricSample(await restarted.metrics(), 'receiver_registrations_total{result="redelivered"}')
      : 0;
    expect(redelivered).toBeGreaterThan(0);
  });

  it("kill -9 the sender mid-send, the SMTP server holding the DATA reply", async () => {
    await scenario("sender-killed-mid-send", async () => {
      system.smtp.holdData();
      try {
        await waitFor(async () => system.smtp.heldDataCount() > 0, 30_000);
        await system.fleet.only("sender").kill();
        await waitFor(async () => system.smtp.heldDataCount() === 0, 30_000);
      } finally {
        system.smtp.resumeData();
      }
      await system.fleet.start("sender");
    });
  });

  it("restart RabbitMQ under load: publishes fail and /readyz says so while it is away, then everyone reconnects", async () => {
    const counts = await scenario(
      "rabbitmq-restarted",
      async () => {
        await system.rabbit.stopApp();
        try {
          // What the web's registration endpoint gets while the broker is away: an error, never "accepted".
          await expect(
            system.publisher.publish(UserRegistrationV1, createEnvelope(UserRegistrationV1, probeRegistration())),
          ).rejects.toBeInstanceOf(PublishError);
          await system.fleet.untilReadiness("broker", "down");
          await sleep(2_000);
        } finally {
          await system.rabbit.startApp();
        }
      },
      { seconds: 8 },
    );
    // Everything drained, so every consumer is back: /readyz says so again.
    await system.fleet.untilReadiness("broker", "up");
    // The stream's publishes while the broker was away were refused too.
    expect(counts.refused).toBeGreaterThan(0);
    // rabbitmqctl's stop_app and start_app each start an Erlang VM, and every process reconnects
    // under its backoff: beside the rest of CI on two cores this outgrew the suite's 120 s.
  }, 240_000);

  /** PostgreSQL stopped for 10 s under load, as scenario `name`. */
  async function databaseOutage(name: string) {
    const retried = async () =>
      metricSample(await system.fleet.only("receiver").metrics(), 'receiver_messages_total{outcome="retried"}');
    const before = await retried();
    const counts = await scenario(
      name,
      async () => {
        await system.postgres.stop();
        const outage = sleep(10_000);
        try {
          await system.fleet.untilReadiness("database", "down");
          await outage;
        } finally {
          await system.postgres.start();
        }
      },
      { seconds: 12 },
    );
    await system.fleet.untilReadiness("database", "up");
    // The outage made the receiver retry, and there is no hot requeue loop: each registration that
    // reached the queue (confirmed, or refused yet taken) is retried at most once per delay level.
    const levels = RETRY_DELAYS_MS.split(",").length;
    const retries = (await retried()) - before;
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(levels * (counts.confirmed + counts.refused));
  }

  it("stop PostgreSQL for 10 s under load: /readyz unready meanwhile, stored after it returns, retries bounded", async () => {
    await databaseOutage("postgres-stopped");
  });

  it("the same outage with every worker going through PgBouncer in transaction mode", async () => {
    // PgBouncer's default pool (20 server connections): with 4, fewer than the workers' own pools
    // together, the workers did not all resume after the outage (docs/reliability.md).
    const bouncer = await startPgBouncer(system.postgres.url, { poolSize: 20 });
    try {
      await restartFleet({ DATABASE_URL: bouncer.urlFor(system.databaseUrl) });
      await databaseOutage("postgres-stopped-pgbouncer");
    } finally {
      // The next scenarios run straight to PostgreSQL again.
      await restartFleet();
      await bouncer.remove();
    }
  }, 240_000);

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
    const connection = await connect(system.rabbit.url);
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
      const exits = await Promise.all(system.fleet.running().map((worker) => worker.terminate()));
      await Promise.all([system.fleet.start("receiver"), system.fleet.start("sender"), system.fleet.start("reporter")]);
      // Exit code 0: each finished its in-flight work and closed in order, within its timeout.
      expect(exits).toEqual(exits.map(() => ({ code: 0, signal: null })));
    });
  });

  it("three receivers and two senders compete; one receiver is killed mid-run", async () => {
    await Promise.all([system.fleet.start("receiver"), system.fleet.start("receiver"), system.fleet.start("sender")]);
    await scenario("competing-consumers", async () => {
      const [victim] = system.fleet.running("receiver");
      await victim?.kill();
    });
    expect(system.fleet.running("receiver")).toHaveLength(2);
    expect(system.fleet.running("sender")).toHaveLength(2);
  });
});
