import { once } from "node:events";
import { createServer } from "node:net";
import { connect, type Channel, type ChannelModel } from "amqplib";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { waitFor } from "@userstream/test-support";
import { afterAll, afterEach, beforeAll } from "vitest";

export type TestVhost = Awaited<ReturnType<typeof createTestVhost>>;

/** The port a server started in this process bound (workers are started on port 0 in tests). */
export function boundPort(server: { address(): unknown }): number {
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the server is not listening");
  return (address as { port: number }).port;
}

/** A TCP server on a port of its own that drops every connection at once: a mail server that is down. */
export async function refusingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((socket) => socket.destroy());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: boundPort(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What most worker tests share: a database and a vhost of their own, a Prisma client and a publisher on them, a channel to look at the queues. */
export interface TestBed {
  database: TestDatabase;
  vhost: TestVhost;
  db: PrismaClient;
  publisher: Publisher;
  connection: ChannelModel;
  channel: Channel;
  /** Releases everything, the clients before what they are connected to. */
  close(): Promise<void>;
}

/**
 * Opens a test bed (see `useTestBed`) on a database `createDatabase` makes (a migrated copy of the
 * template unless given); `close()` releases it.
 */
export async function openTestBed(createDatabase: () => Promise<TestDatabase> = createTestDatabase): Promise<TestBed> {
  const [database, vhost] = await Promise.all([createDatabase(), createTestVhost()]);
  const db = createPrismaClient(database.url);
  const publisher = createPublisher(vhost.url);
  const connection = await connect(vhost.url);
  const channel = await connection.createChannel();
  const close = async () => {
    await publisher.close();
    await connection.close();
    await db.$disconnect();
    await vhost.drop();
    await database.drop();
  };
  return { database, vhost, db, publisher, connection, channel, close };
}

/**
 * A test bed for the calling `describe`: opened before its tests and closed after them, its
 * fields there from the first test on.
 */
export function useTestBed(createDatabase?: () => Promise<TestDatabase>): TestBed {
  const bed = {} as TestBed;
  beforeAll(async () => {
    Object.assign(bed, await openTestBed(createDatabase));
  });
  afterAll(() => bed.close?.());
  return bed;
}

/**
 * The environment of a worker a test starts in this process on `bed`: its database and vhost, its
 * health server on port 0, no logs; `overrides` on top.
 */
export function bedEnv(bed: TestBed, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: bed.database.url,
    AMQP_URL: bed.vhost.url,
    ...{ RECEIVER_PORT: "0", SENDER_PORT: "0", REPORTER_PORT: "0", LOG_LEVEL: "silent" },
    ...overrides,
  };
}

/** What the sender needs beyond the common settings to send welcome emails by SMTP in a test. */
export const TEST_SENDER_ENV = {
  APP_URL: "http://app.test:3000",
  CONFIRMATION_TOKEN_SECRET: "a-confirmation-secret-for-tests-0123456789",
  EMAIL_FROM: "UserStream <welcome@userstream.test>",
};

/** A worker started in this process (`startReceiver`, `startSender`, `startReporter`). */
interface InProcessWorker {
  server: { address(): unknown };
  shutdown: { run(reason: string): Promise<unknown> };
}

/** Keeps a worker started in this process running until `stops` runs; resolves with its health server's port. */
export async function runUntilStopped(started: Promise<InProcessWorker>, stops: Array<() => Promise<unknown>>): Promise<number> {
  const { server, shutdown } = await started;
  stops.push(() => shutdown.run("test"));
  return boundPort(server);
}

/** Steps that stop what a test started (a worker in this process), run in reverse order after each test. */
export function stopsAfterEach(): Array<() => Promise<unknown>> {
  const stops: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (stops.length) await stops.pop()?.();
  });
  return stops;
}

/**
 * Holds a lock on `users` from a connection of its own while `work` runs, so that a receiver's
 * insert waits inside its transaction; the lock goes (rolled back) once `work` is done.
 */
export async function withUsersLocked<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const locker = new pg.Client({ connectionString: databaseUrl });
  await locker.connect();
  await locker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
  try {
    return await work();
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
}

/**
 * Waits until a session of this database waits on a lock (see `withUsersLocked`); with
 * `terminate`, ends those sessions, as a PostgreSQL restart or failover would. Asked through
 * `db`, outside the locking transaction, which would keep seeing one snapshot of the statistics.
 */
export function untilWaitingOnLock(db: PrismaClient, options: { terminate?: boolean } = {}) {
  return waitFor(async () => {
    const [row] = options.terminate
      ? await db.$queryRaw<Array<{ n: number }>>`
          SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`
      : await db.$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
    return (row?.n ?? 0) > 0;
  });
}
