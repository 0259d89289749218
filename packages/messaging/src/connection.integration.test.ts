import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrokerConnector } from "./connection";

const BROKER = process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";

/** A node that is down but reachable: it takes each connection, notes it, and hangs up before AMQP begins. */
async function deadNode(name: string, attempts: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    attempts.push(name);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `amqp://guest:guest@127.0.0.1:${port}`, server };
}

describe("connecting to a cluster's list of nodes", () => {
  const attempts: string[] = [];
  let a: Awaited<ReturnType<typeof deadNode>>;
  let c: Awaited<ReturnType<typeof deadNode>>;
  beforeAll(async () => {
    [a, c] = await Promise.all([deadNode("a", attempts), deadNode("c", attempts)]);
  });
  afterAll(() => {
    a?.server.close();
    c?.server.close();
  });

  it("moves past the nodes that fail, then after losing a node starts with the one after it", async () => {
    const broker = new URL(BROKER);
    const connector = createBrokerConnector(`${a.url}, ${BROKER}, ${c.url}`, 2_000);

    const first = await connector.connect();
    expect(attempts).toEqual(["a"]);
    expect(connector.current()).toBe(`${broker.hostname}:${broker.port || 5672}`);
    await first.close();

    // The connection to the second node was lost: c, then a, then the second node again.
    const second = await connector.connect();
    expect(attempts).toEqual(["a", "c", "a"]);
    await second.close();
  });

  it("reports every node it tried when none answers, by address only", async () => {
    const connector = createBrokerConnector(`${a.url},${c.url}`, 2_000);
    const failure = connector.connect();
    await expect(failure).rejects.toThrow(/^no broker node answered \(127\.0\.0\.1:\d+: .+; 127\.0\.0\.1:\d+: .+\)$/);
    await expect(failure).rejects.not.toThrow("guest");
  });
});
