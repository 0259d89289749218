import {
  DEAD_LETTER_HEADERS,
  EmailSendV1,
  QUEUES,
  UserRegistrationV1,
  createEnvelope,
  deadLetterQueue,
} from "@userstream/contracts";
import { verifyUserToken } from "@userstream/contracts/user-token";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadSenderEnv } from "../src/sender/env";
import { startSender } from "../src/sender/sender";
import { metricValue, waitFor } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { TEST_SENDER_ENV, bedEnv, refusingServer, runUntilStopped, stopsAfterEach, useTestBed } from "./support";

describe("welcome emails through a real SMTP server", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterEach(() => smtp.respondWith(() => undefined));
  afterAll(() => smtp?.close());

  async function runPipeline(senderEnv: Record<string, string> = {}) {
    const env = bedEnv(bed, { RETRY_DELAYS_MS: "50,100" });
    const receiverPort = await runUntilStopped(startReceiver(loadReceiverEnv(env)), stops);
    const senderPort = await runUntilStopped(
      startSender(loadSenderEnv({ ...env, ...TEST_SENDER_ENV, SMTP_URL: smtp.url, ...senderEnv })),
      stops,
    );
    return { receiverPort, senderPort };
  }

  const welcomeRow = async (email: string) => bed.db.notificationLog.findFirst({ where: { user: { email }, kind: "welcome" } });

  it("sends one welcome email with the person's name and a working confirmation link", async () => {
    const { senderPort } = await runPipeline();
    const message = testRegistration({ firstName: "Katherine", lastName: "Johnson" });
    const { email } = message.payload;
    await bed.publisher.publish(UserRegistrationV1, message);

    const row = await waitFor(async () => (await welcomeRow(email))?.status === "sent" && welcomeRow(email));
    const [received, ...others] = smtp.to(email);
    expect(others).toEqual([]);
    expect(received?.envelopeTo).toEqual([email]);
    expect(received?.mail.to).toMatchObject({ value: [{ address: email, name: "Katherine Johnson" }] });
    expect(received?.mail.from).toMatchObject({ value: [{ address: "welcome@userstream.test", name: "UserStream" }] });
    expect(received?.mail.subject).toBe("Welcome to UserStream");
    expect(received?.mail.text).toContain("Hello Katherine Johnson,");
    expect(row).toMatchObject({ attempts: 1, provider: "smtp", lastError: null });
    expect(row?.providerMessageId).toBe(received?.mail.messageId);
    expect(row?.sentAt).toBeInstanceOf(Date);

    const link = /https?:\/\/\S+/.exec(received?.mail.text ?? "")?.[0] ?? "";
    expect(link.startsWith(`${TEST_SENDER_ENV.APP_URL}/confirm?token=`)).toBe(true);
    expect(String(received?.mail.html)).toContain(`href="${link}"`);
    const token = new URL(link).searchParams.get("token") ?? "";
    const user = await bed.db.user.findUniqueOrThrow({ where: { email } });
    expect(verifyUserToken("confirm-email", token, TEST_SENDER_ENV.CONFIRMATION_TOKEN_SECRET)).toMatchObject({
      ok: true,
      userId: user.id,
    });
    // The second link, "manage my registration", is signed for that purpose alone.
    const manageLink = /https?:\/\/\S+\/manage\?token=\S+/.exec(received?.mail.text ?? "")?.[0] ?? "";
    const manageToken = new URL(manageLink).searchParams.get("token") ?? "";
    expect(verifyUserToken("manage-registration", manageToken, TEST_SENDER_ENV.CONFIRMATION_TOKEN_SECRET)).toMatchObject({
      ok: true,
      userId: user.id,
    });
    expect(verifyUserToken("confirm-email", manageToken, TEST_SENDER_ENV.CONFIRMATION_TOKEN_SECRET)).toEqual({
      ok: false,
      reason: "wrong-purpose",
    });

    const metrics = await (await fetch(`http://127.0.0.1:${senderPort}/metrics`)).text();
    expect(metrics).toContain('sender_send_seconds_count{result="sent",provider="smtp"} 1');
    expect(metrics).toContain("sender_messages_received_total 1");
    expect(metrics).toMatch(/^sender_queue_depth 0$/m);
  });

  it("sends no second email when the same address registers again", async () => {
    const { receiverPort, senderPort } = await runPipeline();
    const first = testRegistration({ email: "twice@example.com" });
    await bed.publisher.publish(UserRegistrationV1, first);
    await waitFor(async () => (await welcomeRow("twice@example.com"))?.status === "sent");
    const again = testRegistration({ email: "twice@example.com" });
    await bed.publisher.publish(UserRegistrationV1, again);
    // Both registrations settled: anything the receiver handed over for the repeat is queued by now.
    await waitFor(async () => (await metricValue(receiverPort, 'receiver_messages_total{outcome="acked"}')) === 2);
    // Redelivering the first registration's email.send changes nothing either.
    const row = await welcomeRow("twice@example.com");
    await bed.publisher.publish(
      EmailSendV1,
      createEnvelope(EmailSendV1, {
        notificationId: row?.id ?? "",
        kind: "welcome",
        registrationId: first.payload.registrationId,
      }),
    );
    // A sentinel queued behind both: once its email is out, the sender has taken every message before it.
    const sentinel = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, sentinel);
    await waitFor(async () => smtp.to(sentinel.payload.email).length === 1);

    // The first email, the redelivery and the sentinel: nothing for the repeat.
    expect(await metricValue(senderPort, "sender_messages_received_total")).toBe(3);
    await waitFor(
      async () => (await metricValue(senderPort, 'sender_emails_total{result="already-done",provider="smtp"}')) === 1,
    );
    expect(smtp.to("twice@example.com")).toHaveLength(1);
    expect(await bed.db.notificationLog.count({ where: { user: { email: "twice@example.com" } } })).toBe(1);
  });

  it("sends nothing for a user deleted before their email went out: the email is failed, with the reason", async () => {
    const { senderPort } = await runPipeline();
    const email = `${crypto.randomUUID()}@example.com`;
    const user = await bed.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Gone", lastName: "Before", email },
    });
    const row = await bed.db.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "queued" } });
    await bed.db.user.delete({ where: { id: user.id } });
    await bed.publisher.publish(
      EmailSendV1,
      createEnvelope(EmailSendV1, { notificationId: row.id, kind: "welcome", registrationId: user.registrationId }),
    );

    await waitFor(async () => (await metricValue(senderPort, 'sender_emails_total{result="failed",provider="smtp"}')) === 1);
    const failed = await bed.db.notificationLog.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "the user was deleted",
      provider: null,
      leaseExpiresAt: null,
    });
    expect(failed.updatedAt.getTime()).toBeGreaterThanOrEqual(row.updatedAt.getTime());
    expect(smtp.to(email)).toHaveLength(0);
  });

  it("retries a 451 with backoff: two refusals, then one email, attempts 3", async () => {
    await runPipeline();
    const message = testRegistration();
    const { email } = message.payload;
    let refusals = 0;
    smtp.respondWith((to) => (to.includes(email) && refusals++ < 2 ? { code: 451, message: "try again later" } : undefined));
    await bed.publisher.publish(UserRegistrationV1, message);

    const row = await waitFor(async () => (await welcomeRow(email))?.status === "sent" && welcomeRow(email));
    expect(row).toMatchObject({ attempts: 3, status: "sent", lastError: null });
    expect(smtp.to(email)).toHaveLength(1);
  });

  it("records a permanent refusal (550) as a hard bounce, suppresses the address, and sends a later registration of it nothing", async () => {
    const { senderPort } = await runPipeline();
    const message = testRegistration();
    const { email } = message.payload;
    const before = smtp.attempts();
    smtp.respondWith((to) => (to.includes(email) ? { code: 550, message: "5.1.1 no such mailbox" } : undefined));
    await bed.publisher.publish(UserRegistrationV1, message);

    // Settled as bounced, without throwing: the message is acknowledged, so no retry can follow.
    await waitFor(async () => (await metricValue(senderPort, 'sender_emails_total{result="bounced",provider="smtp"}')) === 1);
    expect(await metricValue(senderPort, "sender_messages_received_total")).toBe(1);
    const row = await welcomeRow(email);
    expect(row).toMatchObject({ attempts: 1, status: "bounced" });
    expect(row?.lastError).toContain("550");
    expect(await bed.db.notificationEvent.findMany({ where: { notificationId: row!.id } })).toMatchObject([
      {
        provider: "smtp",
        providerEventId: `smtp/${row!.id}/1`,
        type: "bounced",
        permanent: true,
        detail: expect.stringContaining("no such mailbox"),
      },
    ]);
    expect(await bed.db.suppression.findUnique({ where: { address: email } })).toMatchObject({ reason: "hard_bounce" });
    expect(smtp.attempts() - before).toBe(1);
    expect(smtp.to(email)).toHaveLength(0);

    // The person is deleted and registers again (the only way one address gets a second welcome email).
    await bed.db.user.delete({ where: { email } });
    smtp.respondWith(() => undefined);
    await bed.publisher.publish(UserRegistrationV1, testRegistration({ email }));
    await waitFor(async () => (await metricValue(senderPort, 'sender_emails_total{result="suppressed",provider="smtp"}')) === 1);
    const again = await welcomeRow(email);
    expect(again).toMatchObject({ status: "suppressed", lastError: "the address is on the suppression list (hard_bounce)" });
    expect(smtp.attempts() - before).toBe(1);
    expect(smtp.to(email)).toHaveLength(0);
  });

  it("retries while the SMTP server is down, then marks the email dead and dead-letters it with the reason", async () => {
    // A server that drops every connection before a word of SMTP: a port of its own, unlike a
    // port nothing listens on, which another test could take meanwhile.
    const down = await refusingServer();
    stops.push(() => down.close());
    await runPipeline({ SMTP_URL: `smtp://127.0.0.1:${down.port}` });
    const message = testRegistration();
    const { email } = message.payload;
    await bed.publisher.publish(UserRegistrationV1, message);

    const row = await waitFor(async () => (await welcomeRow(email))?.status === "dead" && welcomeRow(email));
    expect(row?.attempts).toBe(3);
    expect(row?.lastError).toMatch(/ECONNREFUSED|connect/i);
    const parked = await waitFor(() => bed.channel.get(deadLetterQueue(QUEUES.emailSend), { noAck: true }));
    expect(JSON.parse(parked.content.toString()).payload.notificationId).toBe(row?.id);
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("rejected");
    expect(String(parked.properties.headers?.[DEAD_LETTER_HEADERS.error])).toContain("gave up after 3 attempts");
  });

  it("keeps a hostile name out of the headers and escapes it in the HTML", async () => {
    await runPipeline();
    // Stored names pass the registration schema; this one is written directly, as a later admin
    // edit or an import might, to show the sender does not rely on that.
    const email = "hostile@example.com";
    const user = await bed.db.user.create({
      data: {
        registrationId: crypto.randomUUID(),
        firstName: "<script>alert(1)</script>",
        lastName: "X\r\nBcc: x@example.com",
        email,
      },
    });
    const row = await bed.db.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "queued" } });
    await bed.publisher.publish(
      EmailSendV1,
      createEnvelope(EmailSendV1, { notificationId: row.id, kind: "welcome", registrationId: user.registrationId }),
    );

    const [received] = await waitFor(async () => smtp.to(email).length === 1 && smtp.to(email));
    expect(smtp.received.filter((message) => message.envelopeTo.includes("x@example.com"))).toEqual([]);
    expect(received?.envelopeTo).toEqual([email]);
    expect(received?.mail.bcc).toBeUndefined();
    expect(received?.mail.headers.has("bcc")).toBe(false);
    expect(received?.mail.subject).toBe("Welcome to UserStream");
    // Escaped, with the "/" fenced by zero-width spaces as every link-like character in a name is.
    expect(received?.mail.html).toContain("Hello &lt;script&gt;alert(1)&lt;&#8203;/&#8203;script&gt;");
    expect(received?.mail.html).not.toContain("<script>");
  });
});
