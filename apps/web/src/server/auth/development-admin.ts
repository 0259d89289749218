/**
 * The development admin of `.env.example` (password `userstream-admin`), for tests that sign in.
 * Not a default: env.ts has none, and refuses these values in production outside the local trial
 * (@userstream/runtime/env).
 */
export const DEVELOPMENT_ADMIN = {
  ADMIN_EMAIL: "admin@userstream.local",
  ADMIN_PASSWORD: "userstream-admin",
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:oecV45wDENBTOz90FWduJQ:Rl4zCRo1l29CFDh_xvE6ZGcoVzUlgHygbh9MmfTLe14",
  SESSION_SECRET: "development-session-secret-change-me-0123456789",
} as const;
