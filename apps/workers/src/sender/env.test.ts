import { describe, expect, it } from "vitest";
import { loadSenderEnv } from "./env";
import { smtpSecurity } from "./providers/smtp-security";

const SECRET = { CONFIRMATION_TOKEN_SECRET: "a-confirmation-secret-for-tests-0123456789" };

describe("sender environment", () => {
  it("has working local defaults: SMTP to the local mail catcher", () => {
    expect(loadSenderEnv(SECRET)).toMatchObject({
      SENDER_PORT: 8082,
      EMAIL_PROVIDER: "smtp",
      SMTP_URL: "smtp://127.0.0.1:1025",
      EMAIL_FROM: { name: "UserStream", address: "welcome@userstream.local" },
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
      WEBHOOK_DISABLE_AFTER_FAILURES: 20,
    });
  });

  it.each([
    ["UserStream <hello@example.com>", { name: "UserStream", address: "hello@example.com" }],
    ['"User Stream" <hello@example.com>', { name: "User Stream", address: "hello@example.com" }],
    ["hello@example.com", { name: "", address: "hello@example.com" }],
  ])("reads EMAIL_FROM %j as a mailbox", (value, mailbox) => {
    expect(loadSenderEnv({ ...SECRET, EMAIL_FROM: value }).EMAIL_FROM).toEqual(mailbox);
  });

  it.each([
    [{ EMAIL_FROM: "not an address" }, "EMAIL_FROM"],
    [{ EMAIL_PROVIDER: "pigeon" }, "EMAIL_PROVIDER"],
    [{ EMAIL_PROVIDER: "resend" }, "RESEND_API_KEY"],
    [{ CONFIRMATION_TOKEN_SECRET: "short" }, "CONFIRMATION_TOKEN_SECRET"],
    [{ CONFIRMATION_TOKEN_SECRET: "" }, "CONFIRMATION_TOKEN_SECRET"],
    [{ SMTP_URL: "nowhere" }, "SMTP_URL"],
    [{ SMTP_URL: "http://relay.example" }, "SMTP_URL"],
    [{ SMTP_URL: "smtp://relay.example:587?ignoreTLS=true" }, "SMTP_URL"],
    [{ SMTP_URL: "smtps://relay.example?tls.rejectUnauthorized=false" }, "SMTP_URL"],
    [{ SMTP_ALLOW_PLAINTEXT: "maybe" }, "SMTP_ALLOW_PLAINTEXT"],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: "sometimes" }, "WEBHOOK_ALLOW_PRIVATE_TARGETS"],
    [{ WEBHOOK_DISABLE_AFTER_FAILURES: "0" }, "WEBHOOK_DISABLE_AFTER_FAILURES"],
    [{ WEBHOOK_TIMEOUT_MS: "soon" }, "WEBHOOK_TIMEOUT_MS"],
  ])("names the bad variable in %j", (source, name) => {
    expect(() => loadSenderEnv({ ...SECRET, ...source })).toThrow(new RegExp(`\\n  ${name}[.:]`));
  });

  it.each([
    ["smtp://127.0.0.1:1025", false, "starttls-if-offered"],
    ["smtp://127.8.0.1:25", false, "starttls-if-offered"],
    ["smtp://LocalHost:1025", false, "starttls-if-offered"],
    ["smtp://[::1]:1025", false, "starttls-if-offered"],
    ["smtp://[::ffff:127.0.0.1]:25", false, "starttls-if-offered"],
    ["smtp://relay.example:587", false, "starttls-required"],
    ["smtp://user:pass@10.0.0.5:25", false, "starttls-required"],
    ["smtp://[fd00::2]:25", false, "starttls-required"],
    ["smtp://localhost.evil.example:25", false, "starttls-required"],
    ["smtp://relay.example:25", true, "starttls-if-offered"],
    ["smtps://relay.example:465", false, "tls"],
  ])("secures %s (SMTP_ALLOW_PLAINTEXT=%s) as %s", (url, allowPlaintext, security) => {
    expect(smtpSecurity(url, allowPlaintext)).toBe(security);
  });
});
