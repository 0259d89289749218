import { DEAD_LETTER_HEADERS, EmailSendV1, QUEUES, UserRegistrationV1, deadLetterQueue } from "@userstream/contracts";
import { createTestDatabase } from "@userstream/db/testing";
import { createTestVhost, testRegistration } from "@userstream/messaging/testing";
import { EXIT_CONFIG } from "@userstream/runtime/load-env-files";
import { describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { metricValue, readiness, spawnWorker, waitFor } from "@userstream/test-support";
import { bedEnv, boundPort, runUntilStopped, stopsAfterEach, untilWaitingOnLock, useTestBed, withUsersLocked } from "./support";

describe("receiver against real PostgreSQL and RabbitMQ", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();

  const runReceiver = (overrides: Record<string, string> = {}) =>
    runUntilStopped(startReceiver(loadReceiverEnv(bedEnv(bed, { RETRY_DELAYS_MS: "50,100", ...overrides }))), stops);

  const userCount = (email: string) => bed.db.user.count({ where: { email } });

  it("stores a registration once, however often the message is delivered", async () => {
    const port = await runReceiver();
    const message = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, message);
    await waitFor(async () => (await userCount(message.payload.email)) === 1);

    await bed.publisher.publish(UserRegistrationV1, message);
    await waitFor(async () => (await metricValue(port, 'receiver_registrations_total{result="redelivered"}')) === 1);
    expect(await userCount(message.payload.email)).toBe(1);
    const user = await bed.db.user.findUniqueOrThrow({ where: { email: message.payload.email } });
    expect(user).toMatchObject({ registrationId: message.payload.registrationId, firstName: "Ada", lastName: "Lovelace" });
  });

  it("records the welcome email with the user and hands it to the sender after the commit", async () => {
    await runReceiver();
    await bed.channel.purgeQueue(QUEUES.emailSend); // hand-offs of earlier tests' registrations
    const message = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, message);
    const handOff = await waitFor(() => bed.channel.get(QUEUES.emailSend, { noAck: true }));
    const email = EmailSendV1.schema.parse(JSON.parse(handOff.content.toString()));
    const row = await bed.db.notificationLog.findUniqueOrThrow({
      where: { id: email.payload.notificationId },
      include: { user: true },
    });
    expect(row).toMatchObject({ kind: "welcome", status: "queued", attempts: 0 });
    expect(row.user?.email).toBe(message.payload.email);
    expect(email.payload.registrationId).toBe(message.payload.registrationId);

    // A redelivery (say the ack was lost) hands a still-queued email over again, and adds no row.
    await bed.publisher.publish(UserRegistrationV1, message);
    const again = await waitFor(() => bed.channel.get(QUEUES.emailSend, { noAck: true }));
    expect(EmailSendV1.schema.parse(JSON.parse(again.content.toString())).payload.notificationId).toBe(row.id);
    expect(await bed.db.notificationLog.count({ where: { user: { email: message.payload.email } } })).toBe(1);
  });

  it("never creates a second user for an address already registered, yet records the registration", async () => {
    await runReceiver();
    const first = testRegistration({ email: "repeat@example.com" });
    const again = testRegistration({ email: "repeat@example.com", firstName: "Impostor" });
    await bed.publisher.publish(UserRegistrationV1, first);
    await waitFor(async () => (await userCount("repeat@example.com")) === 1);
    await bed.publisher.publish(UserRegistrationV1, again);

    const record = await waitFor(() => bed.db.registration.findUnique({ where: { id: again.payload.registrationId } }));
    expect(record.outcome).toBe("duplicate");
    const user = await bed.db.user.findUniqueOrThrow({ where: { email: "repeat@example.com" } });
    expect(user.firstName).toBe("Ada");
    expect(record.userId).toBe(user.id);
    expect(await userCount("repeat@example.com")).toBe(1);
  });

  it("dead-letters a poison message with its reason and keeps working", async () => {
    const port = await runReceiver();
    bed.channel.sendToQueue(QUEUES.registration, Buffer.from('{"type":"user.registration","version":1,"payload":{}}'), {
      messageId: "poison-1",
      persistent: true,
    });
    const good = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, good);
    await waitFor(async () => (await userCount(good.payload.email)) === 1);

    const parked = await waitFor(() => bed.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true }));
    expect(parked.properties.messageId).toBe("poison-1");
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("malformed");
    expect(String(parked.properties.headers?.[DEAD_LETTER_HEADERS.error])).toContain("payload");
    // Settled (and counted) with the rest of its batch, once the batch is done.
    await waitFor(async () => (await metricValue(port, 'receiver_messages_total{outcome="dead-lettered"}')) === 1);
    expect((await readiness(port)).status).toBe(200);
  });

  it("acknowledges only after the commit: a receiver killed mid-transaction loses nothing", async () => {
    const message = testRegistration();
    // The receiver's insert waits inside its transaction while users is locked.
    await withUsersLocked(bed.database.url, async () => {
      const worker = spawnWorker("receiver", { DATABASE_URL: bed.database.url, AMQP_URL: bed.vhost.url });
      stops.push(async () => worker.child.kill("SIGKILL"));
      await bed.publisher.publish(UserRegistrationV1, message);
      await untilWaitingOnLock(bed.db);
      worker.child.kill("SIGKILL");
      await worker.exited;
      // The delivery was never acknowledged, so the broker holds the message again.
      await waitFor(async () => (await bed.channel.checkQueue(QUEUES.registration)).messageCount === 1);
    });
    expect(await userCount(message.payload.email)).toBe(0);

    await runReceiver();
    await waitFor(async () => (await userCount(message.payload.email)) === 1);
    expect(await bed.db.registration.count({ where: { id: message.payload.registrationId } })).toBe(1);
  });

  it("survives its database connection being cut mid-transaction, and stores the registration after", async () => {
    // The receiver's insert waits inside its transaction while users is locked, and then its
    // session is ended.
    const worker = spawnWorker("receiver", {
      DATABASE_URL: bed.database.url,
      AMQP_URL: bed.vhost.url,
      RETRY_DELAYS_MS: "100,200",
    });
    stops.push(async () => worker.child.kill("SIGKILL"));
    const message = testRegistration();
    await withUsersLocked(bed.database.url, async () => {
      await bed.publisher.publish(UserRegistrationV1, message);
      await untilWaitingOnLock(bed.db, { terminate: true });
    });
    await waitFor(async () => (await userCount(message.payload.email)) === 1);
    const port = await worker.port;
    await waitFor(async () => (await metricValue(port, 'receiver_messages_total{outcome="acked"}')) === 1);
    expect(worker.child.exitCode).toBeNull();
    expect((await readiness(port)).status).toBe(200);
    expect(await bed.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true })).toBe(false);
  });

  it("retries a database error with backoff, then dead-letters it; readiness names the database", async () => {
    const port = await runReceiver({ DATABASE_URL: bed.database.url.replace(/\/[^/]+$/, "/userstream_missing_database") });
    const message = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, message);

    const parked = await waitFor(() => bed.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true }));
    expect(parked.properties.messageId).toBe(message.id);
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("retries-exhausted");
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.attempts]).toBe(3);
    expect(await readiness(port)).toEqual({
      status: 503,
      body: { status: "unready", checks: { database: "down", broker: "up" } },
    });
  });

  it("stops cleanly on SIGTERM after finishing its messages", async () => {
    const worker = spawnWorker("receiver", { DATABASE_URL: bed.database.url, AMQP_URL: bed.vhost.url });
    await worker.ready();
    const messages = Array.from({ length: 20 }, () => testRegistration());
    await Promise.all(messages.map((message) => bed.publisher.publish(UserRegistrationV1, message)));
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('"msg":"stopped"');
    // Whatever it did not take stays queued for the next receiver; nothing is lost.
    await runReceiver();
    await waitFor(
      async () => (await bed.db.user.count({ where: { email: { in: messages.map((m) => m.payload.email) } } })) === 20,
    );
  });

  it("refuses to start with a bad variable and names it, with the status that says configuration", async () => {
    const worker = spawnWorker("receiver", { RECEIVER_PREFETCH: "lots", AMQP_URL: bed.vhost.url });
    expect((await worker.exited).code).toBe(EXIT_CONFIG);
    expect(worker.output()).toContain("RECEIVER_PREFETCH");
  });
});

describe("receiver readiness when the broker goes away", () => {
  it("turns unready when its broker connection is gone", async () => {
    const [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    const { shutdown, server } = await startReceiver(
      loadReceiverEnv({ DATABASE_URL: database.url, AMQP_URL: vhost.url, RECEIVER_PORT: "0", LOG_LEVEL: "silent" }),
    );
    const port = boundPort(server);
    try {
      await waitFor(async () => (await readiness(port)).status === 200);
      await vhost.drop(); // the broker closes every connection to the deleted virtual host
      await waitFor(async () => (await readiness(port)).body.checks.broker === "down");
      expect((await readiness(port)).status).toBe(503);
    } finally {
      await shutdown.run("test");
      await database.drop();
    }
  });
});
