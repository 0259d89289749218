import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@userstream/db";
import { z } from "zod";
import { API_KEY_SCOPES, MAX_API_KEY_DAYS, type ApiKeyScope } from "../lib/api-keys";

/** Every key starts with this, so a leaked one is easy to recognise (and to search for in code). */
const KEY_PREFIX = "usk_";
/** 32 random bytes, base64url: 43 characters after the prefix. */
const KEY_PATTERN = /^usk_[A-Za-z0-9_-]{43}$/;
/** How much of a key admins see: enough to tell keys apart, far too little to use one. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;
/** Keys listed on the admin page; revoked ones stay listed so their history is visible. */
const API_KEYS_LISTED = 200;

const CONTROL_PATTERN = /[\p{Cc}\u2028\u2029]/u;

const ApiKeyNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .refine((name) => !CONTROL_PATTERN.test(name), "Name must not contain control characters");

/** What a key may do with the users: `read` (list, get one), `write` (rename), `delete`. */
const ApiKeyScopeSchema = z.enum(API_KEY_SCOPES, { error: "Scopes are read, write and delete" });
const DAY_MS = 24 * 60 * 60 * 1000;

export const CreateApiKeyInputSchema = z.object({
  name: ApiKeyNameSchema,
  /** At least one; kept in the order of API_KEY_SCOPES, each once. */
  scopes: z
    .array(ApiKeyScopeSchema, { error: "Choose at least one scope" })
    .min(1, "Choose at least one scope")
    .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope))),
  /** Days from now until the key is refused; null or absent: it never expires. */
  expiresInDays: z
    .number({ error: "Expiry must be a number of days" })
    .int("Expiry must be a whole number of days")
    .min(1, "Expiry must be at least 1 day")
    .max(MAX_API_KEY_DAYS, `Expiry must be at most ${MAX_API_KEY_DAYS} days`)
    .nullish(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInputSchema>;

export const ApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ApiKeyScopeSchema),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export interface ApiKeyDeps {
  db: Pick<PrismaClient, "apiKey">;
}

const API_KEY_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdBy: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

function toApiKey(row: Prisma.ApiKeyGetPayload<{ select: typeof API_KEY_FIELDS }>): ApiKey {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** What is stored for a key: its SHA-256. The key is 256 random bits, so no salt or slow hash is needed. */
function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Makes a key for `name` with its scopes and expiry, recorded as created by `createdBy` (the
 * admin's email). The returned `secret` is the only copy of the key: only its hash is stored.
 */
export async function createApiKey(
  input: CreateApiKeyInput,
  createdBy: string,
  { db }: ApiKeyDeps,
  now = new Date(),
): Promise<{ apiKey: ApiKey; secret: string }> {
  const { name, scopes, expiresInDays } = CreateApiKeyInputSchema.parse(input);
  const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * DAY_MS) : null;
  const row = await db.apiKey.create({
    data: { name, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashApiKey(secret), createdBy, scopes, expiresAt },
    select: API_KEY_FIELDS,
  });
  return { apiKey: toApiKey(row), secret };
}

/** The newest keys first, revoked ones included. */
export async function listApiKeys({ db }: ApiKeyDeps): Promise<ApiKey[]> {
  const rows = await db.apiKey.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: API_KEYS_LISTED,
    select: API_KEY_FIELDS,
  });
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
  | { ok: true; apiKey: { id: string; name: string; scopes: ApiKeyScope[] } }
  | { ok: false; reason: "missing" | "invalid" | "revoked" | "expired" };

/** The key in an `Authorization: Bearer <key>` header; undefined when there is no such header. */
function bearerToken(authorization: string | null): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? "");
  return match?.[1];
}

/**
 * Checks the key a request's `Authorization` header carries and, when it is valid (known, not
 * revoked, not expired), records the time it was used, in the same statement; the answer holds its
 * scopes, for the procedure to check. `missing` also covers a header of another scheme (`Basic
 * …`); a key not even shaped like one of ours is refused without asking the database. A key both
 * revoked and expired is told it was revoked.
 */
export async function authenticateApiKey(
  authorization: string | null,
  { db }: ApiKeyDeps,
  now = new Date(),
): Promise<ApiKeyCheck> {
  const key = bearerToken(authorization);
  if (!key) return { ok: false, reason: "missing" };
  if (!KEY_PATTERN.test(key)) return { ok: false, reason: "invalid" };
  const keyHash = hashApiKey(key);
  const [used] = await db.apiKey.updateManyAndReturn({
    where: { keyHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    data: { lastUsedAt: now },
    select: { id: true, name: true, scopes: true },
  });
  if (used) return { ok: true, apiKey: used };
  const known = await db.apiKey.findUnique({ where: { keyHash }, select: { revokedAt: true } });
  if (!known) return { ok: false, reason: "invalid" };
  return { ok: false, reason: known.revokedAt ? "revoked" : "expired" };
}
