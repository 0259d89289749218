import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, expiring tokens that name a user and say what they are for:
 * `<user id>.<expiry, unix seconds>.<HMAC-SHA256>`, base64url. The sender puts them in the welcome
 * email; the web checks them when a link is opened. Server-only (node:crypto), hence its own entry
 * point rather than the package index.
 *
 * The purpose is signed with the rest (`<purpose>:<user id>.<expiry>`), so a token made for one
 * purpose never passes as another's: a confirmation link cannot open the page that erases a
 * registration. `confirm-email` is the text every confirmation link ever sent was signed with, so
 * links already in mailboxes keep working.
 */
export const TOKEN_PURPOSES = ["confirm-email", "manage-registration"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export type TokenCheck =
  | { ok: true; userId: string; expiresAt: Date }
  /** `wrong-purpose`: genuine and signed with this secret, but for another purpose. */
  | { ok: false; reason: "malformed" | "bad-signature" | "wrong-purpose" | "expired" };

const TOKEN_PATTERN = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function sign(purpose: TokenPurpose, userId: string, expiresAtSeconds: number, secret: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${userId}.${expiresAtSeconds}`).digest("base64url");
}

function signedWith(purpose: TokenPurpose, userId: string, expiry: number, signature: string, secret: string): boolean {
  const expected = Buffer.from(sign(purpose, userId, expiry, secret));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A token for `purpose` naming `userId`, valid for `ttlMs` from `now`. */
export function createUserToken(purpose: TokenPurpose, userId: string, secret: string, ttlMs: number, now = Date.now()): string {
  const expiresAtSeconds = Math.floor((now + ttlMs) / 1000);
  return `${userId}.${expiresAtSeconds}.${sign(purpose, userId, expiresAtSeconds, secret)}`;
}

/** Checks a token for `purpose`: its form, its signature (and purpose), then its expiry. */
export function verifyUserToken(purpose: TokenPurpose, token: string, secret: string, now = Date.now()): TokenCheck {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, userId = "", expiryText = "", signature = ""] = match;
  const expiry = Number(expiryText);
  if (!signedWith(purpose, userId, expiry, signature, secret)) {
    // Told apart only to say so clearly: a link from the same email, used on the wrong page.
    const other = TOKEN_PURPOSES.some(
      (candidate) => candidate !== purpose && signedWith(candidate, userId, expiry, signature, secret),
    );
    return { ok: false, reason: other ? "wrong-purpose" : "bad-signature" };
  }
  if (expiry * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId, expiresAt: new Date(expiry * 1000) };
}
