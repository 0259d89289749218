import { once } from "node:events";
import { createServer, connect as connectTcp, type Server, type Socket } from "node:net";
import { UserRegistrationV1 } from "@userstream/contracts";
import { testRegistration } from "@userstream/messaging/testing";
import { freePorts, readiness, spawnWorker, waitFor, type WorkerProcess } from "@userstream/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { useTestBed } from "./support";

/** A TCP proxy to the broker, started on `port` only when the test says the broker appears. */
async function brokerAppearsOn(port: number, brokerPort: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp(brokerPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a worker started before its broker is reachable", () => {
  const bed = useTestBed();
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  it("answers /healthz at once and /readyz 503 naming the broker, then ready and working once the broker appears", async () => {
    const [brokerPort] = await freePorts(1);
    const realBroker = new URL(bed.vhost.url);
    const unreachable = new URL(bed.vhost.url);
    unreachable.port = String(brokerPort);
    const receiver: WorkerProcess = spawnWorker("receiver", { DATABASE_URL: bed.database.url, AMQP_URL: unreachable.toString() });
    cleanups.push(() => receiver.stop());

    const port = await receiver.port;
    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(healthz.status).toBe(200);
    // The database is up at once; the broker is not, and /readyz says which.
    const unready = await waitFor(async () => {
      const answer = await readiness(port);
      return answer.body.checks.database === "up" && answer;
    });
    expect(unready).toEqual({ status: 503, body: { status: "unready", checks: { database: "up", broker: "down" } } });
    expect(receiver.running()).toBe(true);

    const proxy = await brokerAppearsOn(brokerPort!, Number(realBroker.port || 5672));
    cleanups.push(() => proxy.close());
    await receiver.ready(60_000);
    expect(await readiness(port)).toEqual({ status: 200, body: { status: "ready", checks: { database: "up", broker: "up" } } });

    const message = testRegistration();
    await bed.publisher.publish(UserRegistrationV1, message);
    const user = await waitFor(() => bed.db.user.findUnique({ where: { email: message.payload.email } }), 30_000);
    expect(user.registrationId).toBe(message.payload.registrationId);
  });
});
