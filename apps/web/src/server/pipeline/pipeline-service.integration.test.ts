import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_RETRY_POLICY, QUEUES, retryPolicy } from "@userstream/contracts";
import { assertQueueTopology } from "@userstream/messaging";
import { describe, expect, it } from "vitest";
import { setupTestBroker, setupTestDatabase } from "../testing";
import { getPipelineSnapshot, readPerMinute } from "./pipeline-service";
import { readQueueStats, vhostOf } from "./queue-stats";

const database = setupTestDatabase("userstream_web_pipeline");
// No topology yet: the view must list the queues no process declared so far.
const broker = setupTestBroker("userstream-pipeline-test", { declareTopology: false });

async function publish(queue: string, count: number) {
  const channel = await broker.connection.createConfirmChannel();
  for (let i = 0; i < count; i++) channel.sendToQueue(queue, Buffer.from("{}"), { persistent: true });
  await channel.waitForConfirms();
  await channel.close();
}

/** A local HTTP server answering `handler`; closed by the caller. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("queue statistics over AMQP (no management API)", () => {
  it("answers each queue's depth and consumers, and null for queues that do not exist yet", async () => {
    const before = await readQueueStats({ amqpUrl: broker.url, retryPolicy: DEFAULT_RETRY_POLICY });
    expect(before.source).toBe("amqp");
    expect(before.queues.find((queue) => queue.name === QUEUES.registration)?.messages).toBeNull();

    const channel = await broker.connection.createChannel();
    await assertQueueTopology(channel, QUEUES.registration);
    await channel.consume(`${QUEUES.registration}.dead`, () => {});
    await publish(QUEUES.registration, 3);

    const after = await readQueueStats({ amqpUrl: broker.url, retryPolicy: DEFAULT_RETRY_POLICY });
    const byName = new Map(after.queues.map((queue) => [queue.name, queue]));
    expect(byName.get(QUEUES.registration)).toMatchObject({
      kind: "work",
      messages: 3,
      consumers: 0,
      inRate: null,
      outRate: null,
    });
    expect(byName.get(`${QUEUES.registration}.retry.1`)).toMatchObject({ kind: "retry", messages: 0 });
    expect(byName.get(`${QUEUES.registration}.dead`)).toMatchObject({ kind: "dead", consumers: 1 });
    expect(byName.get(QUEUES.emailSend)?.messages).toBeNull();
    // Every queue of the topology is listed: 4 work queues, 3 retry levels each, 4 dead-letter queues.
    expect(after.queues).toHaveLength(20);
    await channel.close();
  });

  it("lists the delay queues of the workers' retry policy (RETRY_DELAYS_MS), as the workers declare them", async () => {
    const policy = retryPolicy([50, 250]);
    const channel = await broker.connection.createChannel();
    await assertQueueTopology(channel, QUEUES.emailSend, policy);
    await channel.close();
    const stats = await readQueueStats({ amqpUrl: broker.url, retryPolicy: policy });
    const emailQueues = stats.queues.filter((queue) => queue.workQueue === QUEUES.emailSend);
    expect(emailQueues.map((queue) => [queue.name, queue.kind, queue.delayMs, queue.messages])).toEqual([
      [QUEUES.emailSend, "work", undefined, 0],
      [`${QUEUES.emailSend}.retry.1`, "retry", 50, 0],
      [`${QUEUES.emailSend}.retry.2`, "retry", 250, 0],
      [`${QUEUES.emailSend}.dead`, "dead", undefined, 0],
    ]);
    expect(stats.queues).toHaveLength(16);
  });

  it("reads from the next node of a cluster's list (AMQP_URL) when the first does not answer", async () => {
    const vhostPath = new URL(broker.url).pathname;
    const amqpUrl = `amqp://guest:guest@127.0.0.1:1${vhostPath},${broker.url}`;
    expect(vhostOf(amqpUrl)).toBe(vhostOf(broker.url));
    const stats = await readQueueStats({ amqpUrl, retryPolicy: DEFAULT_RETRY_POLICY });
    expect(stats.source).toBe("amqp");
    expect(stats.queues.find((queue) => queue.name === QUEUES.registration)?.messages).toBe(3);
  });

  it("says the broker is unavailable when it does not answer", async () => {
    const stats = await readQueueStats({ amqpUrl: "amqp://guest:guest@127.0.0.1:1/", retryPolicy: DEFAULT_RETRY_POLICY });
    expect(stats.source).toBe("unavailable");
    expect(stats.error).toMatch(/broker/);
    expect(stats.queues.every((queue) => queue.messages === null)).toBe(true);
  });
});

describe("queue statistics from the management API", () => {
  // RabbitMQ's management plugin is not installed on the test machine: this stand-in answers
  // GET /api/queues/{vhost} the way the plugin documents it.
  it("reads depth, consumers and rates as the management user, for the AMQP URL's vhost", async () => {
    const requests: { path: string; authorization?: string }[] = [];
    const { url, server } = await serve((request, response) => {
      requests.push({ path: request.url ?? "", authorization: request.headers.authorization });
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify([
          {
            name: "user.registration",
            messages: 12,
            consumers: 3,
            message_stats: { publish_details: { rate: 4.5 }, deliver_get_details: { rate: 2 } },
          },
          { name: "email.send.dead", messages: 1, consumers: 0 },
        ]),
      );
    });
    try {
      const stats = await readQueueStats({
        amqpUrl: "amqp://x:y@broker:5672/prod%2Fa",
        management: { url, user: "ops", password: "s:cret" },
        retryPolicy: DEFAULT_RETRY_POLICY,
      });
      expect(stats.source).toBe("management");
      expect(requests[0]?.path).toBe("/api/queues/prod%2Fa?columns=name,messages,consumers,message_stats");
      expect(requests[0]?.authorization).toBe(`Basic ${Buffer.from("ops:s:cret").toString("base64")}`);
      const byName = new Map(stats.queues.map((queue) => [queue.name, queue]));
      expect(byName.get("user.registration")).toMatchObject({ messages: 12, consumers: 3, inRate: 4.5, outRate: 2 });
      expect(byName.get("email.send.dead")).toMatchObject({ messages: 1, inRate: 0, outRate: 0 });
      expect(byName.get("report.generate")?.messages).toBeNull();
    } finally {
      server.close();
    }
  });

  it("falls back to AMQP when the management API refuses, and says why", async () => {
    const { url, server } = await serve((_, response) => response.writeHead(401).end());
    try {
      const stats = await readQueueStats({
        amqpUrl: broker.url,
        management: { url, user: "ops", password: "wrong" },
        retryPolicy: DEFAULT_RETRY_POLICY,
      });
      expect(stats.source).toBe("amqp");
      expect(stats.error).toMatch(/management API answered 401/);
    } finally {
      server.close();
    }
  });

  it("takes the vhost from the AMQP URL, / when it names none", () => {
    expect(vhostOf("amqp://u:p@h:5672")).toBe("/");
    expect(vhostOf("amqps://u:p@h/userstream")).toBe("userstream");
  });
});

describe("the pipeline snapshot", () => {
  it("counts registrations and emails per minute, and reports each process's readiness", async () => {
    const now = new Date();
    const user = await database.db.user.create({
      data: { registrationId: randomUUID(), firstName: "Ada", lastName: "L", email: `ada-${randomUUID()}@example.com` },
    });
    await database.db.registration.createMany({
      data: [1, 2, 3].map(() => ({ id: randomUUID(), outcome: "created" as const, userId: user.id, receivedAt: now })),
    });
    await database.db.registration.create({
      data: { id: randomUUID(), outcome: "created", receivedAt: new Date(now.getTime() - 5 * 60_000) },
    });
    await database.db.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "sent", sentAt: now } });

    const ready = await serve((_, response) =>
      response.writeHead(200).end(JSON.stringify({ status: "ready", checks: { database: "up" } })),
    );
    const unready = await serve((_, response) =>
      response.writeHead(503).end(JSON.stringify({ status: "unready", checks: { broker: "down" } })),
    );
    const gone = await serve(() => {});
    gone.server.close();
    try {
      const snapshot = await getPipelineSnapshot(database.db, {
        amqpUrl: broker.url,
        retryPolicy: DEFAULT_RETRY_POLICY,
        managementUiUrl: "http://localhost:15672/",
        processes: [
          { name: "receiver", url: ready.url },
          { name: "sender", url: unready.url },
          { name: "reporter", url: gone.url },
        ],
      });
      expect(snapshot.processes.map((process) => [process.name, process.state, process.checks])).toEqual([
        ["receiver", "ready", { database: "up" }],
        ["sender", "unready", { broker: "down" }],
        ["reporter", "unreachable", null],
      ]);
      expect(snapshot.source).toBe("amqp");
      expect(snapshot.perMinute.registrations.reduce((a, b) => a + b)).toBe(4);

      // Per minute, as of the moment the rows were written.
      const perMinute = await readPerMinute(database.db, now);
      expect(perMinute.registrations).toHaveLength(30);
      expect(perMinute.registrations.at(-1)).toBe(3);
      expect(perMinute.registrations.at(-6)).toBe(1);
      expect(perMinute.emailsSent.at(-1)).toBe(1);
      expect(perMinute.emailsFailed.every((value) => value === 0)).toBe(true);
    } finally {
      ready.server.close();
      unready.server.close();
    }
  });

  it("leaves out what is older than half an hour", async () => {
    const series = await readPerMinute(database.db, new Date(Date.now() + 60 * 60_000));
    expect(series.registrations.every((value) => value === 0)).toBe(true);
  });
});
