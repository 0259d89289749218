import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/*
 * Endpoint signing secrets. An admin sees one once, when the endpoint is made; the sender must sign
 * with it on every delivery, so it is stored encrypted, not hashed: AES-256-GCM under a key derived
 * (HKDF-SHA256) from CONFIRMATION_TOKEN_SECRET, the secret the web and the sender already share.
 * Reading the table alone gives no secret. Server-only (node:crypto), hence its own entry point.
 */

const KEY_INFO = "userstream webhook endpoint secrets v1";
const FORMAT = "v1";

/** A new secret in Standard Webhooks' form: `whsec_` and 24 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

function key(sharedSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sharedSecret, "", KEY_INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url): what `webhook_endpoints.secret_ciphertext` holds. */
export function encryptWebhookSecret(secret: string, sharedSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(sharedSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The secret, or an error saying why it cannot be read (another CONFIRMATION_TOKEN_SECRET, or not this format). */
export function decryptWebhookSecret(stored: string, sharedSecret: string): string {
  const [format, iv = "", tag = "", ciphertext = ""] = stored.split(".");
  if (format !== FORMAT) throw new Error("the endpoint's stored secret is not in a known format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(sharedSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the endpoint's secret cannot be read: was CONFIRMATION_TOKEN_SECRET changed since it was made?");
  }
}
