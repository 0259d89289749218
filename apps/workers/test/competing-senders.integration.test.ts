import { UserRegistrationV1 } from "@userstream/contracts";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { spawnWorker, waitFor, type WorkerProcess } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { bedEnv, runUntilStopped, useTestBed } from "./support";

const COUNT = 200;
const SMTP_POOL_SIZE = 5;

describe("two sender processes on one queue", () => {
  const bed = useTestBed();
  let smtp: TestSmtpServer;
  const cleanups: Array<() => Promise<unknown>> = [];
  let senders: WorkerProcess[] = [];

  beforeAll(async () => {
    await runUntilStopped(startReceiver(loadReceiverEnv(bedEnv(bed))), cleanups);
  });
  afterEach(async () => {
    // Senders first: the SMTP server's close waits for their pooled connections to go.
    for (const sender of senders) sender.child.kill("SIGTERM");
    await Promise.all(senders.map((sender) => sender.exited));
    senders = [];
    await smtp?.close();
  });
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  async function startSenders(count: number): Promise<WorkerProcess[]> {
    for (let i = 0; i < count; i++) {
      const sender = spawnWorker("sender", {
        DATABASE_URL: bed.database.url,
        AMQP_URL: bed.vhost.url,
        SMTP_URL: smtp.url,
        SMTP_POOL_SIZE: String(SMTP_POOL_SIZE),
        // A short lease, so the emails a killed sender had claimed are taken over within the test.
        SEND_LEASE_MS: "2000",
        RETRY_DELAYS_MS: "200,500,1000,2000,3000",
      });
      await sender.ready(30_000);
      senders.push(sender);
    }
    return senders;
  }

  async function register(tag: string): Promise<string[]> {
    const emails = Array.from({ length: COUNT }, (_, i) => `${tag}-${i}@example.com`);
    for (let i = 0; i < emails.length; i += 50) {
      await Promise.all(
        emails
          .slice(i, i + 50)
          .map((email) =>
            bed.publisher.publish(UserRegistrationV1, testRegistration({ firstName: "Competing", lastName: "Consumer", email })),
          ),
      );
    }
    return emails;
  }

  /** Welcome emails to these addresses recorded as sent. */
  const recordedSent = (emails: string[]) =>
    bed.db.notificationLog.count({ where: { status: "sent", user: { email: { in: emails } } } });

  async function expectEachExactlyOnce(emails: string[]) {
    await waitFor(async () => (await recordedSent(emails)) === COUNT, 60_000);
    const perAddress = emails.map((email) => smtp.to(email).length);
    expect(perAddress.filter((n) => n === 0)).toHaveLength(0);
    expect(perAddress.filter((n) => n > 1)).toHaveLength(0);
  }

  it("sends 200 welcome emails, none twice", async () => {
    smtp = await startTestSmtpServer();
    await startSenders(2);
    const emails = await register("pair");
    await expectEachExactlyOnce(emails);
  });

  it("loses none and doubles none when one sender is killed -9 mid-send", async () => {
    smtp = await startTestSmtpServer();
    const [victim] = await startSenders(2);
    const emails = await register("killed");
    await waitFor(async () => smtp.received.length >= 50);
    // Hold the server's replies, so the victim dies with emails claimed and sends under way
    // (the moment a crash costs most), then let the survivor's sends through.
    smtp.hold();
    // Every connection of both senders waits on its RCPT reply (the victim's sends are all under
    // way), and every email the server took is recorded sent (none is left between the two).
    await waitFor(
      async () => smtp.heldRcptCount() === 2 * SMTP_POOL_SIZE && (await recordedSent(emails)) === smtp.received.length,
    );
    victim?.child.kill("SIGKILL");
    await victim?.exited;
    smtp.resume();
    await expectEachExactlyOnce(emails);
    // The victim's emails held at RCPT (one per connection) were claimed, then taken over by the survivor.
    expect(
      await bed.db.notificationLog.count({ where: { user: { email: { in: emails } }, attempts: { gt: 1 } } }),
    ).toBeGreaterThanOrEqual(SMTP_POOL_SIZE);
  });
});
