import tls from "node:tls";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { EmailDeliveryError, type EmailProvider, type OutgoingEmail } from "./email-provider";

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

function classify(err: SmtpError): EmailDeliveryError {
  const code = err.responseCode;
  // No reply code: the connection failed, timed out or dropped; trying again may work.
  const temporary = code === undefined || (code >= 400 && code < 500);
  return new EmailDeliveryError(code ? `SMTP ${code}: ${err.message}` : `SMTP: ${err.message}`, { temporary, cause: err });
}

/** Sends through an SMTP server with a pool of reused connections (nodemailer). */
export function createSmtpProvider(options: {
  url: string;
  poolSize: number;
  rejectUnauthorized: boolean;
  /** Trusted in addition to the system's CAs: a private CA's PEM certificates. */
  ca?: string;
  timeoutMs: number;
}): EmailProvider {
  // nodemailer reads host, port, TLS mode (smtps:) and credentials from `url`.
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.poolSize,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    tls: { rejectUnauthorized: options.rejectUnauthorized, ...(options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {}) },
  } as SMTPPool.Options & { url: string });
  const domain = (address: string) => address.split("@")[1] ?? "userstream.local";

  return {
    name: "smtp",
    async send(email: OutgoingEmail) {
      try {
        const info = await transport.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          // The same Message-ID on every attempt, so a receiving system can recognise a repeat.
          messageId: `<${email.idempotencyKey.replaceAll("/", ".")}@${domain(email.from.address)}>`,
        });
        return { providerMessageId: info.messageId };
      } catch (err) {
        throw classify(err as SmtpError);
      }
    },
    async check() {
      return transport.verify().then(
        () => true,
        () => false,
      );
    },
    async close() {
      transport.close();
    },
  };
}
