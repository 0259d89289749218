import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@userstream/db";
import { z } from "zod";

/** Every key starts with this, so a leaked one is easy to recognise (and to search for in code). */
const KEY_PREFIX = "usk_";
/** 32 random bytes, base64url: 43 characters after the prefix. */
const KEY_PATTERN = /^usk_[A-Za-z0-9_-]{43}$/;
/** How much of a key admins see: enough to tell keys apart, far too little to use one. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;
/** Keys listed on the admin page; revoked ones stay listed so their history is visible. */
const API_KEYS_LISTED = 200;

const CONTROL_PATTERN = /[\p{Cc}\u2028\u2029]/u;

export const ApiKeyNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .refine((name) => !CONTROL_PATTERN.test(name), "Name must not contain control characters");

export const CreateApiKeyInputSchema = z.object({ name: ApiKeyNameSchema });

export const ApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export interface ApiKeyDeps {
  db: Pick<PrismaClient, "apiKey">;
}

const API_KEY_FIELDS = { id: true, name: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

function toApiKey(row: {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKey {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** What is stored for a key: its SHA-256. The key is 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Makes a key for `name`, recorded as created by `createdBy` (the admin's email). The returned
 * `secret` is the only copy of the key: only its hash is stored.
 */
export async function createApiKey(
  input: { name: string },
  createdBy: string,
  { db }: ApiKeyDeps,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const { name } = CreateApiKeyInputSchema.parse(input);
  const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({
    data: { name, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashApiKey(secret), createdBy },
    select: API_KEY_FIELDS,
  });
  return { apiKey: toApiKey(row), secret };
}

/** The newest keys first, revoked ones included. */
export async function listApiKeys({ db }: ApiKeyDeps): Promise<ApiKey[]> {
  const rows = await db.apiKey.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: API_KEYS_LISTED, select: API_KEY_FIELDS });
  return rows.map(toApiKey);
}

/**
 * Revokes a key: from now on it is refused. Revoking a revoked key changes nothing (its first
 * revocation time stays). Null when there is no such key.
 */
export async function revokeApiKey(id: string, { db }: ApiKeyDeps): Promise<ApiKey | null> {
  await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await db.apiKey.findUnique({ where: { id }, select: API_KEY_FIELDS });
  return row ? toApiKey(row) : null;
}

export type ApiKeyCheck =
  | { ok: true; apiKey: { id: string; name: string } }
  | { ok: false; reason: "missing" | "invalid" | "revoked" };

/** The key in an `Authorization: Bearer <key>` header; undefined when there is no such header. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? "");
  return match?.[1];
}

/**
 * Checks the key a request's `Authorization` header carries and, when it is valid (known and not
 * revoked), records the time it was used, in the same statement. `missing` also covers a header
 * of another scheme (`Basic …`); a key not even shaped like one of ours is refused without asking
 * the database.
 */
export async function authenticateApiKey(authorization: string | null, { db }: ApiKeyDeps, now = new Date()): Promise<ApiKeyCheck> {
  const key = bearerToken(authorization);
  if (!key) return { ok: false, reason: "missing" };
  if (!KEY_PATTERN.test(key)) return { ok: false, reason: "invalid" };
  const keyHash = hashApiKey(key);
  const [used] = await db.apiKey.updateManyAndReturn({
    where: { keyHash, revokedAt: null },
    data: { lastUsedAt: now },
    select: { id: true, name: true },
  });
  if (used) return { ok: true, apiKey: used };
  const known = await db.apiKey.findUnique({ where: { keyHash }, select: { revokedAt: true } });
  return { ok: false, reason: known ? "revoked" : "invalid" };
}
