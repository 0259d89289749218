import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient } from "./index";
import { testServerUrl } from "./env";
import { createPool } from "./pool";

/** The server's "I am ready" that ends a connection's startup: ReadyForQuery, not in a transaction. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** What PostgreSQL sends every session when it shuts down fast: FATAL 57P01. */
function shutdownError(): Buffer {
  const fields = Buffer.concat([
    ...["SFATAL", "VFATAL", "C57P01", "Mterminating connection due to administrator command"].map((field) =>
      Buffer.from(`${field}\0`),
    ),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(fields.length + 4);
  return Buffer.concat([Buffer.from("E"), length, fields]);
}

/**
 * A TCP relay to the test PostgreSQL that plays a shutdown landing as the first connection is
 * handed out: that connection's last startup message and the server's 57P01 arrive together, and
 * the connection closes. Later connections pass through untouched.
 */
async function relayCuttingFirstConnection(target: URL): Promise<{ url: string; close: () => void }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const cut = ++connections === 1;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      const endsStartup = chunk.subarray(-READY_FOR_QUERY.length).equals(READY_FOR_QUERY);
      if (cut && endsStartup) {
        client.end(Buffer.concat([chunk, shutdownError()]));
        upstream.destroy();
      } else {
        client.write(chunk);
      }
    });
    upstream.on("close", () => client.end());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe("a connection that PostgreSQL ends as the pool hands it out", () => {
  let closeRelay: (() => void) | undefined;
  afterEach(() => closeRelay?.());

  it("fails that checkout's statements with a clear error, keeps the process up, and opens a new connection next", async () => {
    const relay = await relayCuttingFirstConnection(new URL(testServerUrl()));
    closeRelay = relay.close;
    const pool = createPool(relay.url, { max: 1, logger: { warn: () => undefined } });
    try {
      const cut = await pool.connect();
      await expect(cut.query("SELECT 1")).rejects.toThrow(/not queryable/);
      cut.release();
      const { rows } = await pool.query("SELECT 1 AS one");
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it("fails the Prisma transaction that got it, and the next one works", async () => {
    const relay = await relayCuttingFirstConnection(new URL(testServerUrl()));
    closeRelay = relay.close;
    const prisma = createPrismaClient(relay.url, { max: 1, logger: { warn: () => undefined } });
    try {
      await expect(prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`)).rejects.toThrow();
      expect(await prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
