import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What a valid admin session says: who, and until when at the latest (epoch milliseconds). */
export interface AdminSession {
  email: string;
  expiresAt: number;
}

/**
 * Signatures are made over this label plus the token, so that a value SESSION_SECRET signs for
 * some other purpose can never pass as a session cookie.
 */
const PURPOSE = "userstream.admin-session.v2";
/** A real cookie value is 87 characters; longer input is refused before any work is done. */
const MAX_COOKIE_LENGTH = 256;
/** 32 random bytes in base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function mac(token: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`${PURPOSE}.${token}`).digest();
}

/** A new session token: 256 random bits, base64url. It names the session; only its digest is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The id of the session a token names: its hex SHA-256, so the table never holds a usable token. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The cookie value for a token: `<token>.<base64url HMAC-SHA256>`. */
export function signSessionToken(token: string, secret: string): string {
  return `${token}.${mac(token, secret).toString("base64url")}`;
}

/**
 * The token in a cookie value when its signature is right (checked in constant time); null for
 * anything else: missing, malformed, tampered with or signed with another secret. A forged or
 * stale value is refused here, without a database query.
 */
export function verifySessionToken(value: string | undefined, secret: string): string | null {
  if (!value || value.length > MAX_COOKIE_LENGTH) return null;
  const [token, signature, ...rest] = value.split(".");
  if (!token || !signature || rest.length > 0 || !TOKEN.test(token)) return null;
  const expected = mac(token, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return token;
}
