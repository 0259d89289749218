import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, expiring email-confirmation tokens: `<user id>.<expiry, unix seconds>.<HMAC-SHA256>`,
 * base64url. The sender puts one in the welcome email; the web checks it when the link is opened.
 * Server-only (node:crypto), hence its own entry point rather than the package index.
 */

export type TokenCheck =
  { ok: true; userId: string; expiresAt: Date } | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

const TOKEN_PATTERN = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function sign(userId: string, expiresAtSeconds: number, secret: string): string {
  return createHmac("sha256", secret).update(`confirm-email:${userId}.${expiresAtSeconds}`).digest("base64url");
}

export function createConfirmationToken(userId: string, secret: string, ttlMs: number, now = Date.now()): string {
  const expiresAtSeconds = Math.floor((now + ttlMs) / 1000);
  return `${userId}.${expiresAtSeconds}.${sign(userId, expiresAtSeconds, secret)}`;
}

export function verifyConfirmationToken(token: string, secret: string, now = Date.now()): TokenCheck {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, userId = "", expiry = "", signature = ""] = match;
  const expected = Buffer.from(sign(userId, Number(expiry), secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
  if (Number(expiry) * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId, expiresAt: new Date(Number(expiry) * 1000) };
}
