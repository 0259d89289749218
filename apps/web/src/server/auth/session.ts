import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a signed-in admin's cookie says: who, and until when (epoch milliseconds). */
export interface AdminSession {
  email: string;
  expiresAt: number;
}

const SessionPayloadSchema = z.object({
  email: z.string().min(1).max(254),
  expiresAt: z.number().int().positive(),
});

/**
 * Signatures are made over this label plus the payload, so that a value SESSION_SECRET signs for
 * some other purpose later can never pass as a session.
 */
const PURPOSE = "userstream.admin-session.v1";
/** A real token is about 150 characters; longer input is rejected before any work is done. */
const MAX_TOKEN_LENGTH = 1024;

function mac(encodedPayload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`${PURPOSE}.${encodedPayload}`).digest();
}

/** `<base64url JSON payload>.<base64url HMAC-SHA256>`. */
export function signSession(session: AdminSession, secret: string): string {
  const encoded = Buffer.from(JSON.stringify({ email: session.email, expiresAt: session.expiresAt })).toString("base64url");
  return `${encoded}.${mac(encoded, secret).toString("base64url")}`;
}

/**
 * The session in `token` when its signature is right (checked in constant time) and it has not
 * expired; null for anything else: missing, malformed, tampered with, signed with another secret,
 * or expired.
 */
export function verifySession(token: string | undefined, secret: string, now: number = Date.now()): AdminSession | null {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const [encoded, signature, ...rest] = token.split(".");
  if (!encoded || !signature || rest.length > 0) return null;
  const expected = mac(encoded, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const session = SessionPayloadSchema.safeParse(payload);
  if (!session.success || session.data.expiresAt <= now) return null;
  return session.data;
}
