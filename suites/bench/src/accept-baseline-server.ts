// The limit the web's registration endpoints are measured against: a bare Node http server that
// publishes each request body to `user.registration` on one confirm channel (confirms pipelined
// across concurrent requests) and answers 202 after the confirm. No validation, no framework.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "amqplib";

const [amqpUrl] = process.argv.slice(2) as [string];
const connection = await connect(amqpUrl);
const channel = await connection.createConfirmChannel();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const registrationId = randomUUID();
    const payload = { ...JSON.parse(Buffer.concat(chunks).toString()), registrationId };
    const message = { id: registrationId, type: "user.registration", version: 1, occurredAt: new Date().toISOString(), payload };
    channel.sendToQueue(
      "user.registration",
      Buffer.from(JSON.stringify(message)),
      { persistent: true, messageId: registrationId },
      (err) => {
        response.writeHead(err ? 503 : 202, { "content-type": "application/json" });
        response.end(JSON.stringify(err ? { error: "not confirmed" } : { registrationId }));
      },
    );
  });
});
// A port of its own, named in its start line as the workers name theirs.
server.listen(0, "127.0.0.1", () =>
  console.log(JSON.stringify({ msg: "listening", port: (server.address() as AddressInfo).port })),
);
process.once("SIGTERM", () => {
  server.close();
  void connection.close().then(() => process.exit(0));
});
