import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect } from "amqplib";
import nodemailer from "nodemailer";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { EmailSendV1, QUEUES, createEnvelope } from "@userstream/contracts";
import { assertTopology, createPublisher } from "@userstream/messaging";
import { spawnWorker, waitFor, type WorkerProcess } from "@userstream/test-support";
import { PLAIN_SMTP_SERVER } from "@userstream/test-support/smtp";
import { startCpuMeter, type CpuPerItem } from "./processes";
import { latencySummary, round } from "./results";

/** An SMTP server that accepts every message, discards it and notes when it arrived, by recipient. */
export async function startSmtpSink() {
  const arrivals = new Map<string, number>();
  const server = new SMTPServer({
    ...PLAIN_SMTP_SERVER,
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        const now = Date.now();
        for (const rcpt of session.envelope.rcptTo) arrivals.set(rcpt.address, now);
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

interface Seeded {
  notificationId: string;
  registrationId: string;
  email: string;
}

/** `count` users, each with a queued welcome email, as the receiver leaves them. */
async function seedQueuedWelcomes(db: pg.Client, count: number): Promise<Seeded[]> {
  await db.query("TRUNCATE users, registrations, notification_logs CASCADE");
  const tag = Date.now().toString(36);
  const { rows } = await db.query<{ notification_id: string; registration_id: string; email: string }>(
    `WITH made AS (
       INSERT INTO users (registration_id, first_name, last_name, email, updated_at)
       SELECT gen_random_uuid(), 'Ada', 'Lovelace', 'ada.' || $2 || '.' || i || '@example.com', now() FROM generate_series(1, $1::int) AS i
       RETURNING id, registration_id, email
     ), queued AS (
       INSERT INTO notification_logs (user_id, kind, status, updated_at) SELECT id, 'welcome', 'queued', now() FROM made
       RETURNING id, user_id
     )
     SELECT queued.id AS notification_id, made.registration_id, made.email FROM queued JOIN made ON made.id = queued.user_id`,
    [count, tag],
  );
  return rows.map((row) => ({ notificationId: row.notification_id, registrationId: row.registration_id, email: row.email }));
}

/** `cpu.processesUs` is the sender processes' own CPU; the baseline's mailer runs in the benchmark itself. */
function summarise(
  name: "sender" | "baseline (nodemailer pool)",
  senders: number,
  sentAt: Map<string, number>,
  handedAt: Map<string, number>,
  started: number,
  cpu: CpuPerItem,
) {
  const latencies = [...handedAt].map(([email, at]) => (sentAt.get(email) ?? Number.NaN) - at);
  const last = Math.max(...sentAt.values());
  const seconds = (last - started) / 1000;
  return {
    sender: name,
    processes: senders,
    emails: handedAt.size,
    perSecond: Math.round(handedAt.size / seconds),
    ...latencySummary(latencies),
    senderCpuUsPerEmail: name === "sender" ? cpu.processesUs : null,
    brokerCpuUsPerEmail: cpu.brokerUs,
    databaseCpuUsPerEmail: cpu.databaseUs,
    machineCpuUsPerEmail: cpu.machineUs,
    machineBusyPercent: cpu.machineBusyPercent,
    idleBrokerDatabasePercent: `${cpu.idlePercent.broker} / ${cpu.idlePercent.database}`,
    seconds: round(seconds, 2),
  };
}

/**
 * The project's sender(s) delivering `count` welcome emails to the sink: the emails are queued in
 * the database as the receiver leaves them and handed over on `email.send` while the senders run.
 * Latency: hand-off (publish) → accepted by the sink.
 */
export async function measureSenders(options: {
  databaseUrl: string;
  amqpUrl: string;
  sink: SmtpSink;
  senders: number;
  count: number;
}) {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const connection = await connect(options.amqpUrl);
  const channel = await connection.createChannel();
  await assertTopology(channel);
  await channel.purgeQueue(QUEUES.emailSend);
  options.sink.arrivals.clear();
  const seeded = await seedQueuedWelcomes(db, options.count);
  const senders: WorkerProcess[] = [];
  const publisher = createPublisher(options.amqpUrl);
  try {
    for (let i = 0; i < options.senders; i++) {
      const env = {
        DATABASE_URL: options.databaseUrl,
        AMQP_URL: options.amqpUrl,
        EMAIL_PROVIDER: "smtp",
        SMTP_URL: options.sink.url,
      };
      senders.push(spawnWorker("sender", env, { keepOutput: 20_000 }));
    }
    await waitFor(async () => (await channel.checkQueue(QUEUES.emailSend)).consumerCount >= options.senders, {
      what: `${options.senders} sender(s)`,
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const cpuMeter = await startCpuMeter(senders.map((s) => s.child.pid as number));
    const handedAt = new Map<string, number>();
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (const email of seeded) {
      while (inFlight.size >= 1_000) await Promise.race(inFlight);
      handedAt.set(email.email, Date.now());
      const work = publisher.publish(
        EmailSendV1,
        createEnvelope(EmailSendV1, {
          notificationId: email.notificationId,
          kind: "welcome",
          registrationId: email.registrationId,
        }),
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    }
    await Promise.all(inFlight);
    await waitFor(async () => options.sink.arrivals.size >= options.count, {
      what: `${options.count} emails at the sink`,
      timeoutMs: 600_000,
    });
    const cpu = await cpuMeter.perItem(options.count);
    return summarise("sender", options.senders, options.sink.arrivals, handedAt, started, cpu);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${senders.map((s) => s.output()).join("\n")}`, { cause: err });
  } finally {
    await publisher.close();
    await Promise.all(senders.map((s) => s.stop()));
    await connection.close();
    await db.end();
  }
}

/** The limit: nodemailer's pool (as many connections as the sender's default pool) sending straight to the sink. */
export async function measureBaselineMailer(options: { sink: SmtpSink; count: number; poolSize: number }) {
  options.sink.arrivals.clear();
  const transport = nodemailer.createTransport({ url: options.sink.url, pool: true, maxConnections: options.poolSize } as never);
  const handedAt = new Map<string, number>();
  const cpuMeter = await startCpuMeter([]);
  const started = Date.now();
  const sends = [];
  for (let i = 0; i < options.count; i++) {
    const to = `baseline.${i}@example.com`;
    handedAt.set(to, Date.now());
    sends.push(
      transport.sendMail({
        from: "UserStream <welcome@userstream.local>",
        to,
        subject: "Welcome to UserStream",
        text: "Welcome! Confirm your address: http://localhost:3000/confirm?token=x",
        html: '<p>Welcome! <a href="http://localhost:3000/confirm?token=x">Confirm your address</a></p>',
      }),
    );
  }
  await Promise.all(sends);
  transport.close();
  return summarise(
    "baseline (nodemailer pool)",
    0,
    options.sink.arrivals,
    handedAt,
    started,
    await cpuMeter.perItem(options.count),
  );
}
