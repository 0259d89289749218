import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { QUEUES, UserRegistrationV1 } from "@userstream/contracts";
import { PublishError, createPublisher } from "@userstream/messaging";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeServerAndOtherCertificates, type ServerAndOtherCertificates } from "./certificates";
import { onFreePorts, startRabbit, workersDir, type PrivateRabbit } from "@userstream/test-support";

const run = promisify(execFile);
const roundTrip = fileURLToPath(new URL("amqps-round-trip.ts", import.meta.url));

/** A RabbitMQ node of its own with a TLS listener whose certificate a CA made for this run signed. */
describe("RabbitMQ over TLS (amqps://) with a private CA", () => {
  let certs: ServerAndOtherCertificates;
  let rabbit: PrivateRabbit | undefined;
  let tlsUrl: string;

  beforeAll(async () => {
    certs = await makeServerAndOtherCertificates("userstream-amqps-");
    // RabbitMQ must be told its ports: another set is tried when one was taken meanwhile.
    rabbit = await onFreePorts(3, ([nodePort = 0, distPort = 0, tlsPort = 0]) =>
      startRabbit({ nodePort, distPort, tls: { ...certs.server, port: tlsPort } }),
    );
    tlsUrl = rabbit.tlsUrl ?? "";
  }, 120_000);
  afterAll(async () => {
    await rabbit?.remove();
    certs?.remove();
  }, 60_000);

  /** The project's publisher and consumer in a process of their own, trusting `caFile` through NODE_EXTRA_CA_CERTS. */
  function publishAndConsume(caFile: string) {
    return run(process.execPath, ["--import", "tsx", roundTrip], {
      cwd: workersDir, // where tsx resolves, whatever directory the tests run from
      env: { ...process.env, AMQP_URL: tlsUrl, NODE_EXTRA_CA_CERTS: caFile },
      timeout: 60_000,
    });
  }

  it("publishes and consumes over amqps://, trusting the private CA given in NODE_EXTRA_CA_CERTS", async () => {
    expect(tlsUrl).toMatch(/^amqps:/);
    const { stdout } = await publishAndConsume(certs.server.caFile);
    const { published, received } = JSON.parse(stdout) as { published: string; received: string };
    expect(received).toBe(published);
    expect((await rabbit!.queueDepths())[QUEUES.registration]).toBe(0);
  });

  it("refuses a broker whose certificate no trusted CA signed, and publishes nothing", async () => {
    const failure = await publishAndConsume(certs.other.caFile).catch((error: unknown) => error as Error & { stderr: string });
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toHaveProperty("stderr", expect.stringMatching(/certificate/i));

    const publisher = createPublisher(tlsUrl, { confirmTimeoutMs: 5_000 });
    const envelope = testRegistration({ email: "untrusted@example.com" });
    const error = await publisher.publish(UserRegistrationV1, envelope).catch((err: unknown) => err);
    await publisher.close();
    expect(error).toBeInstanceOf(PublishError);
    expect(String((error as PublishError).cause)).toMatch(/certificate/i);
    expect((await rabbit!.queueDepths())[QUEUES.registration]).toBe(0);
  });
});
