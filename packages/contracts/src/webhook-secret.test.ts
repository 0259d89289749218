import { describe, expect, it } from "vitest";
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret } from "./webhook-secret";

const SHARED = "a-confirmation-secret-for-tests-0123456789";

describe("webhook endpoint secrets", () => {
  it("are Standard Webhooks secrets, different each time", () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(a).not.toBe(b);
  });

  it("are stored encrypted and read back with the same shared secret", () => {
    const secret = generateWebhookSecret();
    const stored = encryptWebhookSecret(secret, SHARED);
    expect(stored).not.toContain(secret.slice(6));
    expect(encryptWebhookSecret(secret, SHARED)).not.toBe(stored);
    expect(decryptWebhookSecret(stored, SHARED)).toBe(secret);
  });

  it("cannot be read under another shared secret, nor once altered", () => {
    const stored = encryptWebhookSecret(generateWebhookSecret(), SHARED);
    expect(() => decryptWebhookSecret(stored, `${SHARED}-rotated`)).toThrow(/CONFIRMATION_TOKEN_SECRET/);
    const altered = `${stored.slice(0, -2)}${stored.endsWith("AA") ? "BB" : "AA"}`;
    expect(() => decryptWebhookSecret(altered, SHARED)).toThrow(/cannot be read/);
    expect(() => decryptWebhookSecret("plain", SHARED)).toThrow(/format/);
  });
});
