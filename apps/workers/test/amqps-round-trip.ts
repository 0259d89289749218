/**
 * Run as a child process by amqps.integration.test.ts, so that NODE_EXTRA_CA_CERTS (read by Node
 * only at start-up) applies: publishes one registration to AMQP_URL with the project's publisher,
 * receives it with the project's consumer and prints both ids as JSON.
 */
import { UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { createPublisher, startConsumer } from "@userstream/messaging";

const url = process.env.AMQP_URL;
if (!url) throw new Error("AMQP_URL is required");

const envelope = createEnvelope(UserRegistrationV1, {
  registrationId: crypto.randomUUID(),
  firstName: "Ada",
  lastName: "Lovelace",
  email: "tls@example.com",
});
let received: (id: string) => void = () => undefined;
const receivedId = new Promise<string>((resolve) => (received = resolve));

const publisher = createPublisher(url, { confirmTimeoutMs: 10_000 });
await publisher.publish(UserRegistrationV1, envelope);
const consumer = await startConsumer({
  url,
  contract: UserRegistrationV1,
  prefetch: 1,
  handle: async (message) => received(message.id),
});
const id = await receivedId;
await Promise.all([consumer.stop(), publisher.close()]);
process.stdout.write(JSON.stringify({ published: envelope.id, received: id }));
