/** What an API key may do with the users, in the order they are shown and stored. */
export const API_KEY_SCOPES = ["read", "write", "delete"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What each scope allows, as the admin page says it. */
export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  read: "read: list users and get one",
  write: "write: rename users",
  delete: "delete: delete users",
};

/** The longest expiry an admin can set: ten years. */
export const MAX_API_KEY_DAYS = 3650;

/** True once the key's expiry time has passed (a key without one never expires). */
export function isApiKeyExpired(expiresAt: string | null, now = Date.now()): boolean {
  return expiresAt !== null && new Date(expiresAt).getTime() <= now;
}
