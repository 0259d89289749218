import { once } from "node:events";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/**
 * The options of a plain local SMTP server: no authentication, no STARTTLS, no reverse DNS of the
 * client (there is no resolver to ask here, and each lookup would wait it out), no logging.
 */
export const PLAIN_SMTP_SERVER = {
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  disableReverseLookup: true,
  logger: false,
} satisfies SMTPServerOptions;

export interface ReceivedEmail {
  envelopeTo: string[];
  /** Whether the session was encrypted (smtps://, or upgraded with STARTTLS). */
  secure: boolean;
  mail: ParsedMail;
}

/** How the server answers a message's DATA: accept (undefined) or refuse with an SMTP code. */
export type Responder = (envelopeTo: string[]) => { code: number; message: string } | undefined;

/**
 * A real SMTP server for tests (smtp-server). It keeps every message it accepted, can refuse
 * with chosen reply codes, and can hold its RCPT replies to stand for a slow server: a client
 * that dies while waiting never gets to send the message, so nothing of it is delivered.
 *
 * It can also hold its DATA replies (`holdData`): the message has been sent but the server has
 * not taken responsibility for it yet. As a real server does, it drops a message whose client
 * left before the `250` reply. With `parse: false` it only counts deliveries per address, which
 * is cheap enough for hundreds of messages a second.
 */
export async function startTestSmtpServer(
  options: { parse?: boolean; tls?: { key: string; cert: string }; starttls?: boolean; host?: string } = {},
) {
  const host = options.host ?? "127.0.0.1";
  const parse = options.parse ?? true;
  const received: ReceivedEmail[] = [];
  const deliveries = new Map<string, number>();
  const closedSessions = new Set<string>();
  const heldData = new Map<string, () => void>();
  let dataHeld = false;
  let responder: Responder = () => undefined;
  let held: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let attempts = 0;
  let rcptHeld = 0;

  async function accept(envelopeTo: string[], content: Buffer, secure: boolean) {
    for (const address of envelopeTo) deliveries.set(address, (deliveries.get(address) ?? 0) + 1);
    if (parse) received.push({ envelopeTo, secure, mail: await simpleParser(content) });
  }

  const server = new SMTPServer({
    ...PLAIN_SMTP_SERVER,
    // With a certificate: TLS from the first byte (smtps://), or offered by STARTTLS with
    // `starttls`; without: plain SMTP.
    ...(options.tls ? { secure: !options.starttls, key: options.tls.key, cert: options.tls.cert } : {}),
    disabledCommands: options.tls && options.starttls ? [] : ["STARTTLS"],
    onClose(session) {
      closedSessions.add(session.id);
      heldData.get(session.id)?.();
    },
    async onRcptTo(_address, _session, callback) {
      if (held) {
        rcptHeld++;
        await held;
        rcptHeld--;
      }
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
        const deliver = async () => {
          heldData.delete(session.id);
          // The client left before the reply: it never learnt the message was taken, so drop it.
          if (closedSessions.has(session.id)) return;
          await accept(envelopeTo, Buffer.concat(chunks), session.secure);
          callback();
        };
        if (dataHeld) heldData.set(session.id, () => void deliver());
        else await deliver();
      });
    },
  });
  // A client that dies mid-session (a killed sender) resets its socket, and one that refuses the
  // certificate drops the connection mid-handshake: the client's loss, not an error here.
  server.on("error", () => undefined);
  server.listen(0, host);
  await once(server.server, "listening");
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    url: `${options.tls && !options.starttls ? "smtps" : "smtp"}://${host.includes(":") ? `[${host}]` : host}:${port}`,
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
    /** RCPT replies being held right now: one per client connection waiting on `hold()`. */
    heldRcptCount: () => rcptHeld,
    /** From now on, DATA replies wait until `resumeData()`; a client that leaves meanwhile loses its message. */
    holdData() {
      dataHeld = true;
    },
    /** Messages whose DATA reply is being held, their clients still connected. */
    heldDataCount: () => heldData.size,
    resumeData() {
      dataHeld = false;
      for (const deliver of [...heldData.values()]) deliver();
    },
    /** Messages accepted per recipient address, as the client gave it (with or without `parse`). */
    deliveries: deliveries as ReadonlyMap<string, number>,
    /** Messages accepted for `address` (with or without `parse`). */
    deliveriesTo: (address: string) => deliveries.get(address) ?? 0,
    to(address: string) {
      return received.filter((email) => email.envelopeTo.includes(address));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type TestSmtpServer = Awaited<ReturnType<typeof startTestSmtpServer>>;
