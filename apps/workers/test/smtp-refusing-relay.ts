/**
 * An SMTP relay for the web's end-to-end tests: it refuses, once, each recipient whose address
 * starts with `refuse-once` (550 to RCPT TO: a hard bounce, so the welcome email is recorded bounced
 * and the address suppressed), and passes every other message on to the SMTP server at `--to` (the
 * run's mail catcher), so an email sent to it later arrives there like any other.
 *
 *   node --import tsx test/smtp-refusing-relay.ts --port 2525 --to smtp://127.0.0.1:1025
 */
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createTransport } from "nodemailer";
import { PLAIN_SMTP_SERVER } from "@userstream/test-support/smtp";
import { SMTPServer } from "smtp-server";

const { values } = parseArgs({ options: { port: { type: "string" }, to: { type: "string" } } });
if (!values.port || !values.to) throw new Error("usage: smtp-refusing-relay.ts --port <port> --to <smtp url>");

const upstream = createTransport(values.to);
const refused = new Set<string>();

const server = new SMTPServer({
  ...PLAIN_SMTP_SERVER,
  onRcptTo(address, _session, callback) {
    const recipient = address.address.toLowerCase();
    if (recipient.startsWith("refuse-once") && !refused.has(recipient)) {
      refused.add(recipient);
      return callback(
        Object.assign(new Error("5.1.1 Mailbox unavailable (refused once by the test relay)"), { responseCode: 550 }),
      );
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
      const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      upstream.sendMail({ envelope: { from, to }, raw: Buffer.concat(chunks) }).then(
        () => callback(),
        (error: Error) => callback(Object.assign(error, { responseCode: 451 })),
      );
    });
  },
});
// `--port 0`: a port of its own, named in the start line as the workers name theirs.
server.listen(Number(values.port), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "smtp relay listening", port: (server.server.address() as AddressInfo).port }));
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
