// A RabbitMQ resource alarm (disk) blocks publishing connections: the broker stops reading what
// they send. The API must then answer what is true: a registration sent but not confirmed may
// still be stored (and is, once the alarm clears); one not sent at all is refused at once; and
// registering again afterwards makes no second user and no second welcome email.
//
// The alarm is raised on a private RabbitMQ node, never on the shared broker other tests use.
import { UserRegistrationV1 } from "@userstream/contracts";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { PublishError, createPublisher } from "@userstream/messaging";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  onFreePorts,
  spawnWorker,
  startApi,
  startRabbit,
  waitFor,
  type PrivateRabbit,
  type WebServer,
  type WorkerProcess,
} from "@userstream/test-support";

/** Short, so the test does not wait long; the refusal while blocked must come well before it. */
const CONFIRM_TIMEOUT_MS = 3_000;
/**
 * Each test raises and clears the alarm with rabbitmqctl (an Erlang VM started per call, seconds
 * each on a loaded machine) and waits up to 30 s for what is stored: 60 s ran out once in CI.
 */
const TEST_TIMEOUT_MS = 150_000;

describe("registrations while the broker is in a disk alarm", () => {
  let rabbit: PrivateRabbit | undefined;
  let database: TestDatabase | undefined;
  let db: PrismaClient | undefined;
  let receiver: WorkerProcess | undefined;
  let api: WebServer | undefined;

  beforeAll(async () => {
    // One after the other, so that whatever started is known to afterAll even if the next fails.
    rabbit = await onFreePorts(2, ([nodePort = 0, distPort = 0]) => startRabbit({ nodePort, distPort }));
    database = await createTestDatabase("userstream_broker_alarm");
    db = createPrismaClient(database.url);
    receiver = spawnWorker("receiver", { DATABASE_URL: database.url, AMQP_URL: rabbit.url });
    await receiver.ready();
    api = await startApi({
      DATABASE_URL: database.url,
      AMQP_URL: rabbit.url,
      PUBLISH_CONFIRM_TIMEOUT_MS: String(CONFIRM_TIMEOUT_MS),
    });
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    await receiver?.stop();
    await db?.$disconnect();
    await database?.drop();
    await rabbit?.remove();
  }, 60_000);

  async function diskAlarm(on: boolean) {
    // A free-space limit far above the disk's size raises the alarm; a small one clears it.
    await rabbit?.ctl("set_disk_free_limit", on ? "100000GB" : "50MB");
    await waitFor(async () => (await rabbit?.ctl("eval", "rabbit_alarm:get_alarms()."))?.stdout.includes("disk") === on);
  }

  function register(email: string) {
    return fetch(`${api?.url}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ firstName: "Ada", lastName: "Lovelace", email }),
    });
  }

  async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  }

  /** What is stored for one address: its users, their welcome notifications, and the registrations that reached it. */
  async function storedFor(email: string) {
    const users = await db?.user.findMany({ where: { email }, select: { id: true } });
    const userIds = (users ?? []).map((user) => user.id);
    return {
      users: userIds.length,
      welcomeEmails: await db?.notificationLog.count({ where: { userId: { in: userIds }, kind: "welcome" } }),
      registrations:
        (await db?.registration.findMany({ where: { userId: { in: userIds } }, select: { id: true, outcome: true } })) ?? [],
    };
  }

  it(
    "answers 'may still go through' for a registration sent in the alarm, stores it once the alarm clears, and a retry makes no second user or email",
    async () => {
      // The API's publisher is connected before the alarm, as in a running system.
      expect((await register(`before-${crypto.randomUUID()}@example.com`)).status).toBe(202);

      const email = `alarm-${crypto.randomUUID()}@example.com`;
      await diskAlarm(true);
      try {
        const sent = await timed(() => register(email));
        expect(sent.result.status).toBe(503);
        const sentBody = (await sent.result.json()) as { message: string; code: string; outcome: string };
        expect(sentBody).toMatchObject({ code: "SERVICE_UNAVAILABLE", outcome: "unknown" });
        expect(sentBody.message).toMatch(/may still go through/);
        expect(sentBody.message).toMatch(/Trying again is safe/);
        expect(sent.ms).toBeGreaterThanOrEqual(CONFIRM_TIMEOUT_MS);

        // The connection is now known to be blocked: the next attempt is not sent, and says so at once.
        const again = await timed(() => register(email));
        expect(again.result.status).toBe(503);
        expect(await again.result.json()).toMatchObject({
          code: "SERVICE_UNAVAILABLE",
          outcome: "refused",
          message: expect.stringMatching(/could not accept/),
        });
        expect(again.ms).toBeLessThan(CONFIRM_TIMEOUT_MS);

        // The same through tRPC, as the registration page calls it.
        const trpc = await fetch(`${api?.url}/api/trpc/registration.submit`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { firstName: "Ada", lastName: "Lovelace", email } }),
        });
        expect(trpc.status).toBe(503);
        const { error } = (await trpc.json()) as {
          error: { json: { message: string; data: { code: string; outcome: string } } };
        };
        expect(error.json.message).toMatch(/could not accept/);
        expect(error.json.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", outcome: "refused" });

        // Held by the broker, not stored yet.
        expect((await storedFor(email)).users).toBe(0);
      } finally {
        await diskAlarm(false);
      }

      // Once the alarm clears, the broker reads what was sent: the registration is stored after all.
      await waitFor(async () => (await storedFor(email)).users === 1, 30_000);

      // Registering again is safe: accepted, and recorded as a duplicate of the stored one.
      const retry = await register(email);
      expect(retry.status).toBe(202);
      const { registrationId } = (await retry.json()) as { registrationId: string };
      await waitFor(async () => db?.registration.findUnique({ where: { id: registrationId } }), 30_000);

      const stored = await storedFor(email);
      expect(stored.users).toBe(1);
      expect(stored.welcomeEmails).toBe(1);
      // The registration sent in the alarm and the retry; the two refused attempts never reached the broker.
      expect(stored.registrations.map((row) => row.outcome).sort()).toEqual(["created", "duplicate"]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "closes a publisher promptly in an alarm, and nothing it refused is stored once the alarm clears",
    async () => {
      const publisher = createPublisher(rabbit?.url ?? "", { confirmTimeoutMs: 1_000 });
      const email = `closing-${crypto.randomUUID()}@example.com`;
      const message = (address: string) => testRegistration({ email: address });
      try {
        // Connected before the alarm.
        await publisher.publish(UserRegistrationV1, message(`warm-${crypto.randomUUID()}@example.com`));
        await diskAlarm(true);
        try {
          const unconfirmed = publisher.publish(UserRegistrationV1, message(`unknown-${email}`));
          await expect(unconfirmed).rejects.toBeInstanceOf(PublishError);
          await expect(unconfirmed).rejects.toHaveProperty("outcome", "unknown");
          await expect(publisher.publish(UserRegistrationV1, message(email))).rejects.toHaveProperty("outcome", "refused");
          // A blocked broker would never answer a polite channel close.
          const closing = await timed(() => publisher.close());
          expect(closing.ms).toBeLessThan(2_000);
        } finally {
          await diskAlarm(false);
        }
        // The `unknown` one may or may not arrive (its bytes went with the closed connection, or were
        // read before it); the refused one was never sent. A sentinel published after the alarm, on a
        // connection of its own, is stored: whatever was going to arrive before it has by then.
        const sentinel = createPublisher(rabbit?.url ?? "");
        try {
          const sentinelEmail = `sentinel-${email}`;
          await sentinel.publish(UserRegistrationV1, message(sentinelEmail));
          await waitFor(async () => (await storedFor(sentinelEmail)).users === 1, 30_000);
        } finally {
          await sentinel.close();
        }
        expect((await storedFor(email)).users).toBe(0);
      } finally {
        await publisher.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
