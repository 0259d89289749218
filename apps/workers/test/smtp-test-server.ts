import { once } from "node:events";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedEmail {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** How the server answers a message's DATA: accept (undefined) or refuse with an SMTP code. */
export type Responder = (envelopeTo: string[]) => { code: number; message: string } | undefined;

/**
 * A real SMTP server for tests (smtp-server). It keeps every message it accepted, can refuse
 * with chosen reply codes, and can hold its RCPT replies to stand for a slow server: a client
 * that dies while waiting never gets to send the message, so nothing of it is delivered.
 */
export async function startTestSmtpServer(options: { tls?: { key: string; cert: string } } = {}) {
  const received: ReceivedEmail[] = [];
  let responder: Responder = () => undefined;
  let held: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let attempts = 0;

  const server = new SMTPServer({
    authOptional: true,
    // With a certificate: TLS from the first byte (smtps://); without: plain SMTP.
    ...(options.tls ? { secure: true, key: options.tls.key, cert: options.tls.cert } : {}),
    disabledCommands: ["STARTTLS"],
    // No reverse DNS of the client: there is no resolver to ask here, and each lookup would wait it out.
    disableReverseLookup: true,
    logger: false,
    async onRcptTo(_address, _session, callback) {
      if (held) await held;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        attempts++;
        const refusal = responder(envelopeTo);
        if (refusal) {
          const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
          return callback(error);
        }
        received.push({ envelopeTo, mail: await simpleParser(Buffer.concat(chunks)) });
        callback();
      });
    },
  });
  // A client that refuses the certificate drops the connection mid-handshake: expected in the TLS
  // tests, and reported by smtp-server as an 'error' event that must not go unhandled.
  server.on("error", () => {});
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    url: `${options.tls ? "smtps" : "smtp"}://127.0.0.1:${port}`,
    received,
    /** DATA commands answered so far, accepted or not. */
    attempts: () => attempts,
    respondWith(next: Responder) {
      responder = next;
    },
    /** From now on, RCPT replies wait until `resume()`. */
    hold() {
      held = new Promise<void>((resolve) => (release = resolve));
    },
    resume() {
      held = undefined;
      release();
    },
    to(address: string) {
      return received.filter((email) => email.envelopeTo.includes(address));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type TestSmtpServer = Awaited<ReturnType<typeof startTestSmtpServer>>;
