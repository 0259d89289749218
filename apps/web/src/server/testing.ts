/**
 * What the web's integration tests stand on (imported by `*.integration.test.ts` only): a test
 * file's own database and its own broker vhost, made before its tests and dropped after them.
 * Each function registers the Vitest hooks; read the returned object's fields once `beforeAll`
 * has run. Hooks registered later in the file run after these before the tests, and before
 * these after them (Vitest runs after-hooks in reverse), so a server started there can still
 * reach both while it stops.
 */
import type { NotificationStatus } from "@userstream/contracts";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { assertTopology, createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { connect, type ChannelModel, type GetMessage } from "amqplib";
import { afterAll, beforeAll } from "vitest";

/** A broker that is not there: port 1 refuses connections at once. */
export const UNREACHABLE_AMQP_URL = "amqp://guest:guest@127.0.0.1:1";

export interface TestDatabaseHandle {
  /** postgresql:// URL of the file's database (every migration applied). */
  url: string;
  /** A Prisma client on it. */
  db: PrismaClient;
}

/** The file's own migrated database and a Prisma client on it. `prefix` names it (lower case, `_`). */
export function setupTestDatabase(prefix: string): TestDatabaseHandle {
  const handle = {} as TestDatabaseHandle;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
    handle.url = database.url;
    handle.db = createPrismaClient(database.url);
  });
  afterAll(async () => {
    await handle.db?.$disconnect();
    await database?.drop();
  });
  return handle;
}

export interface TestBroker {
  /** amqp:// URL of the file's vhost, where every queue of the topology is declared. */
  url: string;
  /** A confirmed publisher on the vhost. */
  publisher: Publisher;
  /** A publisher whose broker is down: every publish is refused. */
  unreachable: Publisher;
  /** A connection to look into the queues. */
  connection: ChannelModel;
  /** Messages waiting in `queue`. */
  queued(queue: string): Promise<number>;
  /** Takes every message waiting in `queue` off it. */
  take(queue: string): Promise<GetMessage[]>;
}

/**
 * The file's own vhost with the topology declared (unless `declareTopology` is false: a test of
 * what happens before any process declared it), publishers on it and on a broker that is down,
 * and a connection to look.
 */
export function setupTestBroker(prefix: string, { declareTopology = true } = {}): TestBroker {
  const broker = {
    async queued(queue: string) {
      const channel = await broker.connection.createChannel();
      try {
        return (await channel.checkQueue(queue)).messageCount;
      } finally {
        await channel.close();
      }
    },
    async take(queue: string) {
      const channel = await broker.connection.createChannel();
      const messages: GetMessage[] = [];
      try {
        for (
          let message = await channel.get(queue, { noAck: true });
          message;
          message = await channel.get(queue, { noAck: true })
        )
          messages.push(message);
        return messages;
      } finally {
        await channel.close();
      }
    },
  } as TestBroker;
  let vhost: Awaited<ReturnType<typeof createTestVhost>> | undefined;
  beforeAll(async () => {
    vhost = await createTestVhost(prefix);
    broker.url = vhost.url;
    broker.publisher = createPublisher(vhost.url, { confirmTimeoutMs: 5_000 });
    broker.unreachable = createPublisher(UNREACHABLE_AMQP_URL, { confirmTimeoutMs: 2_000 });
    broker.connection = await connect(vhost.url);
    if (!declareTopology) return;
    const channel = await broker.connection.createChannel();
    await assertTopology(channel);
    await channel.close();
  });
  afterAll(async () => {
    await Promise.all([broker.publisher?.close(), broker.unreachable?.close(), broker.connection?.close()]);
    await vhost?.drop();
  });
  return broker;
}

/**
 * A registered user (Ada Lovelace) whose welcome email is in `status`, as the receiver and the
 * sender leave it: a failed or dead email has used its attempts and kept the provider's error.
 */
export async function userWithWelcomeEmail(
  db: PrismaClient,
  status: NotificationStatus,
  options: { email?: string; createdAt?: Date; lastError?: string; verifiedAt?: Date } = {},
) {
  const registrationId = crypto.randomUUID();
  const gaveUp = status === "failed" || status === "dead";
  const user = await db.user.create({
    data: {
      registrationId,
      firstName: "Ada",
      lastName: "Lovelace",
      email: options.email ?? `${registrationId}@example.com`,
      emailVerifiedAt: options.verifiedAt ?? null,
    },
  });
  await db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
  const notification = await db.notificationLog.create({
    data: {
      userId: user.id,
      kind: "welcome",
      status,
      attempts: gaveUp ? 3 : 0,
      lastError: options.lastError ?? (gaveUp ? "550 mailbox unavailable" : null),
      createdAt: options.createdAt,
    },
  });
  return { user, notification, registrationId };
}
