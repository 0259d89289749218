import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSenderEnv } from "../src/sender/env";
import { EmailDeliveryError } from "../src/sender/providers/email-provider";
import { createSmtpProvider } from "../src/sender/providers/smtp";
import { makeCertificates, type TestCertificates } from "./certificates";
import { spawnWorker } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";

/** The sender reads no secret from code: its environment must hold one. */
const CONFIRMATION_TOKEN_SECRET = "a-confirmation-secret-for-tests-0123456789";

const email = (to: string) => ({
  from: { name: "UserStream", address: "welcome@userstream.test" },
  to: { name: "Ada", address: to },
  subject: "Welcome",
  text: "Hello",
  html: "<p>Hello</p>",
  idempotencyKey: `welcome/${to}`,
});

/** This machine's first non-loopback IPv4 address: a relay bound there is "another machine" to the sender. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((candidate) => candidate && candidate.family === "IPv4" && !candidate.internal)?.address;
  if (!address) throw new Error("this machine has no non-loopback IPv4 address to bind a remote-looking relay on");
  return address;
}

let dir: string;
let certificates: TestCertificates;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "userstream-smtp-tls-"));
  certificates = await makeCertificates(dir, [externalAddress()]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SMTP over TLS (smtps://) with a private CA", () => {
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startTestSmtpServer({ tls: { key: certificates.key, cert: certificates.cert } });
  });
  afterAll(async () => smtp?.close());

  it("delivers over TLS, verifying the server against the CA given in SMTP_TLS_CA_FILE", async () => {
    const env = loadSenderEnv({ SMTP_URL: smtp.url, SMTP_TLS_CA_FILE: certificates.caFile, CONFIRMATION_TOKEN_SECRET });
    expect(env.SMTP_URL).toMatch(/^smtps:/);
    const provider = createSmtpProvider({
      url: env.SMTP_URL,
      poolSize: 1,
      rejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
      ca: env.SMTP_TLS_CA,
      timeoutMs: 10_000,
    });
    try {
      expect(await provider.check()).toBe(true);
      await provider.send(email("tls@example.com"));
      expect(smtp.to("tls@example.com")).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it("refuses a server whose certificate it cannot verify, and sends nothing", async () => {
    const provider = createSmtpProvider({ url: smtp.url, poolSize: 1, rejectUnauthorized: true, timeoutMs: 10_000 });
    try {
      expect(await provider.check()).toBe(false);
      const failure = await provider.send(email("untrusted@example.com")).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmailDeliveryError);
      expect((failure as Error).message).toMatch(/certificate/i);
      expect(smtp.to("untrusted@example.com")).toHaveLength(0);
    } finally {
      await provider.close();
    }
  });

  it("rejects an SMTP_TLS_CA that is not a PEM certificate", () => {
    expect(() => loadSenderEnv({ SMTP_TLS_CA: "not a certificate" })).toThrow(/SMTP_TLS_CA: must be PEM certificates/);
  });
});

describe("smtp:// to a relay on another address that offers STARTTLS", () => {
  it("starts, and upgrades every session before sending", async () => {
    const relay = await startTestSmtpServer({
      host: externalAddress(),
      tls: { key: certificates.key, cert: certificates.cert },
      starttls: true,
    });
    const provider = createSmtpProvider({
      url: relay.url,
      poolSize: 1,
      rejectUnauthorized: true,
      ca: readFileSync(certificates.caFile, "utf8"),
      timeoutMs: 10_000,
    });
    try {
      expect(relay.url).toMatch(/^smtp:/);
      await provider.start?.();
      await provider.send(email("upgraded@example.com"));
      expect(relay.to("upgraded@example.com").map((received) => received.secure)).toEqual([true]);
    } finally {
      await provider.close();
      await relay.close();
    }
  });
});

describe("smtp:// to a relay on another address, which offers no STARTTLS", () => {
  let relay: TestSmtpServer;
  beforeAll(async () => {
    relay = await startTestSmtpServer({ host: externalAddress() });
  });
  afterAll(async () => relay?.close());

  it("the sender refuses it at start: exit 78 naming SMTP_URL, nothing sent", async () => {
    const sender = spawnWorker("sender", { SMTP_URL: relay.url });
    const { code } = await sender.exited;
    expect(code).toBe(78);
    expect(sender.output()).toMatch(/SMTP_URL: the relay at .* does not offer STARTTLS/);
    expect(sender.output()).not.toContain("sender started");
    expect(relay.attempts()).toBe(0);
  });

  it("a send without the opt-out fails rather than go in clear", async () => {
    const provider = createSmtpProvider({ url: relay.url, poolSize: 1, rejectUnauthorized: true, timeoutMs: 10_000 });
    try {
      const failure = await provider.send(email("clear@example.com")).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmailDeliveryError);
      expect((failure as Error).message).toMatch(/STARTTLS/);
      expect(relay.to("clear@example.com")).toHaveLength(0);
    } finally {
      await provider.close();
    }
  });

  it("SMTP_ALLOW_PLAINTEXT=true lets a trusted relay take it in plain text", async () => {
    const env = loadSenderEnv({ SMTP_URL: relay.url, SMTP_ALLOW_PLAINTEXT: "true", CONFIRMATION_TOKEN_SECRET });
    const provider = createSmtpProvider({
      url: env.SMTP_URL,
      poolSize: 1,
      rejectUnauthorized: true,
      timeoutMs: 10_000,
      allowPlaintext: env.SMTP_ALLOW_PLAINTEXT,
    });
    try {
      await provider.start?.();
      await provider.send(email("trusted@example.com"));
      expect(relay.to("trusted@example.com").map((received) => received.secure)).toEqual([false]);
    } finally {
      await provider.close();
    }
  });
});
