import { once } from "node:events";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export interface ReceivedEmail {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** How the server answers a message's DATA: accept (undefined) or refuse with an SMTP code. */
export type Responder = (envelopeTo: string[]) => { code: number; message: string } | undefined;

/**
 * A real SMTP server for tests (smtp-server). It keeps every message it accepted, can refuse
 * with chosen reply codes, and can hold DATA replies to stand for a slow server: a message whose
 * client went away before the reply is not accepted, as with any SMTP server.
 */
export async function startTestSmtpServer() {
  const received: ReceivedEmail[] = [];
  const closedSessions = new Set<string>();
  let responder: Responder = () => undefined;
  let held: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let attempts = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onClose(session: SMTPServerSession) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        attempts++;
        const refusal = responder(envelopeTo);
        if (held) await held;
        if (closedSessions.has(session.id)) return callback(new Error("client went away"));
        if (refusal) {
          const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
          return callback(error);
        }
        received.push({ envelopeTo, mail: await simpleParser(Buffer.concat(chunks)) });
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** DATA commands answered so far, accepted or not. */
    attempts: () => attempts,
    respondWith(next: Responder) {
      responder = next;
    },
    /** From now on, DATA replies wait until `resume()`. */
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
