import pg from "pg";
import { DEAD_LETTER_HEADERS, EmailSendV1, QUEUES, UserRegistrationV1, deadLetterQueue } from "@userstream/contracts";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { EMIT_REGISTERED, PLAN_SETTINGS, storeRegistrations } from "../src/receiver/store-registrations";
import { metricValue, spawnWorker, waitFor } from "@userstream/test-support";
import { bedEnv, runUntilStopped, stopsAfterEach, untilWaitingOnLock, useTestBed, withUsersLocked } from "./support";

// Each test queues its registrations before a receiver starts, so the receiver finds them waiting
// and takes them in batches.
describe("receiver storing registrations in batches", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();
  let pool: pg.Pool;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: bed.database.url, max: 2 });
  });
  beforeEach(async () => {
    await bed.publisher.publish(UserRegistrationV1, testRegistration()); // declares the queues
    await bed.channel.purgeQueue(QUEUES.registration);
    await bed.channel.purgeQueue(QUEUES.emailSend);
  });
  afterAll(() => pool?.end());

  /** Starts a receiver in this process; returns its HTTP port. */
  const runReceiver = () =>
    runUntilStopped(
      startReceiver(loadReceiverEnv(bedEnv(bed, { RETRY_DELAYS_MS: "50,100", RECEIVER_BATCH_LINGER_MS: "50" }))),
      stops,
    );
  /** Waits until the receiver on `port` has acknowledged `count` messages: their hand-offs are queued by then. */
  const acked = (port: number, count: number) =>
    waitFor(async () => (await metricValue(port, 'receiver_messages_total{outcome="acked"}')) === count);

  async function handOffs(): Promise<string[]> {
    const ids: string[] = [];
    for (
      let got = await bed.channel.get(QUEUES.emailSend, { noAck: true });
      got;
      got = await bed.channel.get(QUEUES.emailSend, { noAck: true })
    ) {
      ids.push(EmailSendV1.schema.parse(JSON.parse(got.content.toString())).payload.registrationId);
    }
    return ids;
  }

  const usersWith = (emails: string[]) => bed.db.user.count({ where: { email: { in: emails } } });

  it("stores each queued registration once, with one welcome email handed to the sender", async () => {
    const messages = Array.from({ length: 60 }, () => testRegistration());
    await Promise.all(messages.map((message) => bed.publisher.publish(UserRegistrationV1, message)));
    const port = await runReceiver();
    const emails = messages.map((message) => message.payload.email);
    await acked(port, 60);
    expect(await usersWith(emails)).toBe(60);
    expect((await bed.channel.checkQueue(QUEUES.emailSend)).messageCount).toBe(60);

    const registrationIds = messages.map((message) => message.payload.registrationId);
    expect(await bed.db.registration.count({ where: { id: { in: registrationIds }, outcome: "created" } })).toBe(60);
    expect(
      await bed.db.notificationLog.count({ where: { user: { email: { in: emails } }, kind: "welcome", status: "queued" } }),
    ).toBe(60);
    expect((await handOffs()).sort()).toEqual([...registrationIds].sort());
    const stored = await bed.db.user.findUniqueOrThrow({ where: { email: emails[7] } });
    expect(stored).toMatchObject({ registrationId: registrationIds[7], firstName: "Ada", lastName: "Lovelace" });
  });

  it("keeps one user per address and one record per registration when a batch repeats them", async () => {
    const known = testRegistration({ email: "known@example.com" });
    await bed.db.user.create({
      data: { registrationId: known.payload.registrationId, firstName: "Known", lastName: "Before", email: "known@example.com" },
    });
    const twice = testRegistration();
    const first = testRegistration({ email: "same@example.com", firstName: "First" });
    const second = testRegistration({ email: "same@example.com", firstName: "Second" });
    const again = testRegistration({ email: "known@example.com", firstName: "Again" });
    for (const message of [twice, first, twice, second, again]) await bed.publisher.publish(UserRegistrationV1, message);
    const port = await runReceiver();
    await acked(port, 5);

    expect(await usersWith([twice.payload.email])).toBe(1);
    expect(await bed.db.registration.count({ where: { id: twice.payload.registrationId } })).toBe(1);
    const same = await bed.db.user.findUniqueOrThrow({ where: { email: "same@example.com" } });
    expect(same.firstName).toBe("First");
    expect(await bed.db.registration.findUnique({ where: { id: second.payload.registrationId } })).toMatchObject({
      outcome: "duplicate",
      userId: same.id,
    });
    const before = await bed.db.user.findUniqueOrThrow({ where: { email: "known@example.com" } });
    expect(before.firstName).toBe("Known");
    expect(await bed.db.registration.findUnique({ where: { id: again.payload.registrationId } })).toMatchObject({
      outcome: "duplicate",
      userId: before.id,
    });
    // One welcome email each for the two new users; none for the repeats.
    expect((await bed.channel.checkQueue(QUEUES.emailSend)).messageCount).toBe(2);
    expect((await handOffs()).sort()).toEqual([twice.payload.registrationId, first.payload.registrationId].sort());
    expect(await bed.db.notificationLog.count({ where: { userId: { in: [same.id, before.id] } } })).toBe(1);
  });

  it("stores a batch in one go with the outcome of each registration, and reports redeliveries", async () => {
    const known = testRegistration();
    const [stored] = await storeRegistrations(pool, [known]);
    const fresh = testRegistration();
    const repeat = testRegistration({ email: known.payload.email });
    const results = await storeRegistrations(pool, [fresh, known, repeat, fresh]);

    const welcome = await bed.db.notificationLog.findFirstOrThrow({ where: { user: { email: fresh.payload.email } } });
    expect(results).toEqual([
      { outcome: "created", pendingWelcome: { notificationId: welcome.id } },
      // Seen before, and its welcome email is still queued: the caller hands it over again.
      { outcome: "redelivered", pendingWelcome: stored?.pendingWelcome },
      { outcome: "duplicate", pendingWelcome: undefined },
      { outcome: "redelivered" },
    ]);
    await bed.db.notificationLog.updateMany({ where: { user: { email: known.payload.email } }, data: { status: "sent" } });
    expect(await storeRegistrations(pool, [known])).toEqual([{ outcome: "redelivered", pendingWelcome: undefined }]);
  });

  it("records a webhook event per new user, planned without JIT under the batch's settings", async () => {
    // The batch's settings price a scan of webhook_endpoints (it has no index to use) at 10^10,
    // far above jit_above_cost: with JIT on, every batch was compiled anew (0.5 s each).
    const endpoint = await bed.db.webhookEndpoint.create({
      data: { url: "https://hooks.example.test/in", events: ["user.registered"], secretCiphertext: "x", createdBy: "t" },
    });
    const messages = [testRegistration(), testRegistration()];
    await storeRegistrations(pool, messages);
    const deliveries = await bed.db.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(deliveries.map((delivery) => delivery.eventType)).toEqual(["user.registered", "user.registered"]);

    const client = await pool.connect();
    try {
      const { rows: jit } = await client.query<{ available: boolean }>("SELECT pg_jit_available() AS available");
      expect(jit[0]?.available, "this check needs a PostgreSQL built with JIT").toBe(true);
      await client.query(`BEGIN; ${PLAN_SETTINGS}`);
      const ids = messages.map((message) => message.payload.registrationId);
      const { rows } = await client.query<{ "QUERY PLAN": [{ JIT?: unknown }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${EMIT_REGISTERED}`,
        [ids],
      );
      expect(rows[0]?.["QUERY PLAN"][0]).not.toHaveProperty("JIT");
    } finally {
      await client.query("ROLLBACK");
      client.release();
      await bed.db.webhookEndpoint.delete({ where: { id: endpoint.id } });
    }
  });

  it("does not bring back a deleted user when their registration is redelivered", async () => {
    const message = testRegistration();
    await storeRegistrations(pool, [message]);
    await bed.db.user.delete({ where: { email: message.payload.email } });
    expect(await storeRegistrations(pool, [message])).toEqual([{ outcome: "redelivered", pendingWelcome: undefined }]);
    expect(await usersWith([message.payload.email])).toBe(0);
  });

  it("dead-letters a malformed message alone and stores the rest of its batch", async () => {
    const good = Array.from({ length: 10 }, () => testRegistration());
    for (const message of good.slice(0, 5)) await bed.publisher.publish(UserRegistrationV1, message);
    bed.channel.sendToQueue(
      QUEUES.registration,
      Buffer.from('{"type":"user.registration","version":1,"payload":{"email":"x"}}'),
      {
        messageId: "poison-in-batch",
        persistent: true,
      },
    );
    for (const message of good.slice(5)) await bed.publisher.publish(UserRegistrationV1, message);
    await runReceiver();
    await waitFor(async () => (await usersWith(good.map((message) => message.payload.email))) === 10);

    const parked = await waitFor(() => bed.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true }));
    expect(parked.properties.messageId).toBe("poison-in-batch");
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("malformed");
    expect(await bed.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true })).toBe(false);
    await waitFor(async () => (await bed.channel.checkQueue(QUEUES.registration)).messageCount === 0);
  });

  it("redelivers a whole batch when the receiver is killed before its commit", async () => {
    const messages = Array.from({ length: 12 }, () => testRegistration());
    await Promise.all(messages.map((message) => bed.publisher.publish(UserRegistrationV1, message)));
    // The batch's insert waits inside its transaction while users is locked.
    await withUsersLocked(bed.database.url, async () => {
      const worker = spawnWorker("receiver", { DATABASE_URL: bed.database.url, AMQP_URL: bed.vhost.url });
      stops.push(async () => worker.child.kill("SIGKILL"));
      await untilWaitingOnLock(bed.db);
      worker.child.kill("SIGKILL");
      await worker.exited;
      await waitFor(async () => (await bed.channel.checkQueue(QUEUES.registration)).messageCount === 12);
    });
    const emails = messages.map((message) => message.payload.email);
    expect(await usersWith(emails)).toBe(0);

    await runReceiver();
    await waitFor(async () => (await usersWith(emails)) === 12);
    expect(
      await bed.db.registration.count({ where: { id: { in: messages.map((message) => message.payload.registrationId) } } }),
    ).toBe(12);
  });
});
