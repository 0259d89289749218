import { connect, type Channel, type ChannelModel } from "amqplib";
import pg from "pg";
import { DEAD_LETTER_HEADERS, EmailSendV1, QUEUES, UserRegistrationV1, createEnvelope, deadLetterQueue } from "@userstream/contracts";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { storeRegistrations } from "../src/receiver/store-registrations";
import { boundPort, metricValue, spawnWorker, waitFor } from "./support";

type Database = Awaited<ReturnType<typeof createTestDatabase>>;
type Vhost = Awaited<ReturnType<typeof createTestVhost>>;

function registration(email = `${crypto.randomUUID()}@example.com`, firstName = "Grace") {
  return createEnvelope(UserRegistrationV1, { registrationId: crypto.randomUUID(), firstName, lastName: "Hopper", email });
}

// Each test queues its registrations before a receiver starts, so the receiver finds them waiting
// and takes them in batches.
describe("receiver storing registrations in batches", () => {
  let database: Database;
  let vhost: Vhost;
  let db: PrismaClient;
  let pool: pg.Pool;
  let publisher: Publisher;
  let connection: ChannelModel;
  let channel: Channel;
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    db = createPrismaClient(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    publisher = createPublisher(vhost.url);
    connection = await connect(vhost.url);
    channel = await connection.createChannel();
  });
  beforeEach(async () => {
    await publisher.publish(UserRegistrationV1, registration()); // declares the queues
    await channel.purgeQueue(QUEUES.registration);
    await channel.purgeQueue(QUEUES.emailSend);
  });
  afterEach(async () => {
    while (stops.length) await stops.pop()?.();
  });
  afterAll(async () => {
    await publisher?.close();
    await connection?.close();
    await db?.$disconnect();
    await pool?.end();
    await vhost?.drop();
    await database?.drop();
  });

  /** Starts a receiver in this process; returns its HTTP port. */
  async function runReceiver() {
    const env = loadReceiverEnv({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      RECEIVER_PORT: "0",
      LOG_LEVEL: "silent",
      RETRY_DELAYS_MS: "50,100",
      RECEIVER_BATCH_LINGER_MS: "50",
    });
    const { shutdown, server } = await startReceiver(env);
    stops.push(() => shutdown.run("test"));
    return boundPort(server);
  }
  /** Waits until the receiver on `port` has acknowledged `count` messages: their hand-offs are queued by then. */
  const acked = (port: number, count: number) =>
    waitFor(async () => (await metricValue(port, 'receiver_messages_total{outcome="acked"}')) === count);

  async function handOffs(): Promise<string[]> {
    const ids: string[] = [];
    for (let got = await channel.get(QUEUES.emailSend, { noAck: true }); got; got = await channel.get(QUEUES.emailSend, { noAck: true })) {
      ids.push(EmailSendV1.schema.parse(JSON.parse(got.content.toString())).payload.registrationId);
    }
    return ids;
  }

  const usersWith = (emails: string[]) => db.user.count({ where: { email: { in: emails } } });

  it("stores each queued registration once, with one welcome email handed to the sender", async () => {
    const messages = Array.from({ length: 60 }, () => registration());
    await Promise.all(messages.map((message) => publisher.publish(UserRegistrationV1, message)));
    const port = await runReceiver();
    const emails = messages.map((message) => message.payload.email);
    await acked(port, 60);
    expect(await usersWith(emails)).toBe(60);
    expect((await channel.checkQueue(QUEUES.emailSend)).messageCount).toBe(60);

    const registrationIds = messages.map((message) => message.payload.registrationId);
    expect(await db.registration.count({ where: { id: { in: registrationIds }, outcome: "created" } })).toBe(60);
    expect(await db.notificationLog.count({ where: { user: { email: { in: emails } }, kind: "welcome", status: "queued" } })).toBe(60);
    expect((await handOffs()).sort()).toEqual([...registrationIds].sort());
    const stored = await db.user.findUniqueOrThrow({ where: { email: emails[7] } });
    expect(stored).toMatchObject({ registrationId: registrationIds[7], firstName: "Grace", lastName: "Hopper" });
  });

  it("keeps one user per address and one record per registration when a batch repeats them", async () => {
    const known = registration("known@example.com");
    await db.user.create({ data: { registrationId: known.payload.registrationId, firstName: "Known", lastName: "Before", email: "known@example.com" } });
    const twice = registration();
    const first = registration("same@example.com", "First");
    const second = registration("same@example.com", "Second");
    const again = registration("known@example.com", "Again");
    for (const message of [twice, first, twice, second, again]) await publisher.publish(UserRegistrationV1, message);
    const port = await runReceiver();
    await acked(port, 5);

    expect(await usersWith([twice.payload.email])).toBe(1);
    expect(await db.registration.count({ where: { id: twice.payload.registrationId } })).toBe(1);
    const same = await db.user.findUniqueOrThrow({ where: { email: "same@example.com" } });
    expect(same.firstName).toBe("First");
    expect(await db.registration.findUnique({ where: { id: second.payload.registrationId } })).toMatchObject({ outcome: "duplicate", userId: same.id });
    const before = await db.user.findUniqueOrThrow({ where: { email: "known@example.com" } });
    expect(before.firstName).toBe("Known");
    expect(await db.registration.findUnique({ where: { id: again.payload.registrationId } })).toMatchObject({ outcome: "duplicate", userId: before.id });
    // One welcome email each for the two new users; none for the repeats.
    expect((await channel.checkQueue(QUEUES.emailSend)).messageCount).toBe(2);
    expect((await handOffs()).sort()).toEqual([twice.payload.registrationId, first.payload.registrationId].sort());
    expect(await db.notificationLog.count({ where: { userId: { in: [same.id, before.id] } } })).toBe(1);
  });

  it("stores a batch in one go with the outcome of each registration, and reports redeliveries", async () => {
    const known = registration();
    const [stored] = await storeRegistrations(pool, [known]);
    const fresh = registration();
    const repeat = registration(known.payload.email);
    const results = await storeRegistrations(pool, [fresh, known, repeat, fresh]);

    const welcome = await db.notificationLog.findFirstOrThrow({ where: { user: { email: fresh.payload.email } } });
    expect(results).toEqual([
      { outcome: "created", pendingWelcome: { notificationId: welcome.id } },
      // Seen before, and its welcome email is still queued: the caller hands it over again.
      { outcome: "redelivered", pendingWelcome: stored?.pendingWelcome },
      { outcome: "duplicate", pendingWelcome: undefined },
      { outcome: "redelivered" },
    ]);
    await db.notificationLog.updateMany({ where: { user: { email: known.payload.email } }, data: { status: "sent" } });
    expect(await storeRegistrations(pool, [known])).toEqual([{ outcome: "redelivered", pendingWelcome: undefined }]);
  });

  it("does not bring back a deleted user when their registration is redelivered", async () => {
    const message = registration();
    await storeRegistrations(pool, [message]);
    await db.user.delete({ where: { email: message.payload.email } });
    expect(await storeRegistrations(pool, [message])).toEqual([{ outcome: "redelivered", pendingWelcome: undefined }]);
    expect(await usersWith([message.payload.email])).toBe(0);
  });

  it("dead-letters a malformed message alone and stores the rest of its batch", async () => {
    const good = Array.from({ length: 10 }, () => registration());
    for (const message of good.slice(0, 5)) await publisher.publish(UserRegistrationV1, message);
    channel.sendToQueue(QUEUES.registration, Buffer.from('{"type":"user.registration","version":1,"payload":{"email":"x"}}'), {
      messageId: "poison-in-batch",
      persistent: true,
    });
    for (const message of good.slice(5)) await publisher.publish(UserRegistrationV1, message);
    await runReceiver();
    await waitFor(async () => (await usersWith(good.map((message) => message.payload.email))) === 10);

    const parked = await waitFor(() => channel.get(deadLetterQueue(QUEUES.registration), { noAck: true }));
    expect(parked.properties.messageId).toBe("poison-in-batch");
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("malformed");
    expect(await channel.get(deadLetterQueue(QUEUES.registration), { noAck: true })).toBe(false);
    await waitFor(async () => (await channel.checkQueue(QUEUES.registration)).messageCount === 0);
  });

  it("redelivers a whole batch when the receiver is killed before its commit", async () => {
    const messages = Array.from({ length: 12 }, () => registration());
    await Promise.all(messages.map((message) => publisher.publish(UserRegistrationV1, message)));
    // Hold a lock on users so the batch's insert waits inside its transaction.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    const worker = spawnWorker("receiver", { DATABASE_URL: database.url, AMQP_URL: vhost.url });
    stops.push(async () => worker.child.kill("SIGKILL"));
    try {
      await waitFor(async () => {
        const [row] = await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
        return row !== undefined && row.n > 0;
      });
      worker.child.kill("SIGKILL");
      await worker.exited;
      await waitFor(async () => (await channel.checkQueue(QUEUES.registration)).messageCount === 12);
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    const emails = messages.map((message) => message.payload.email);
    expect(await usersWith(emails)).toBe(0);

    await runReceiver();
    await waitFor(async () => (await usersWith(emails)) === 12);
    expect(await db.registration.count({ where: { id: { in: messages.map((message) => message.payload.registrationId) } } })).toBe(12);
  });
});
