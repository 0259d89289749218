/**
 * Development values of the admin sign-in, the same as in `.env.example`: the password is
 * `userstream-admin`. Production must set its own (env.ts requires them there);
 * `instrumentation-node.ts` warns when a production server still runs with these.
 */
export const DEVELOPMENT_ADMIN = {
  ADMIN_EMAIL: "admin@userstream.local",
  ADMIN_PASSWORD: "userstream-admin",
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:oecV45wDENBTOz90FWduJQ:Rl4zCRo1l29CFDh_xvE6ZGcoVzUlgHygbh9MmfTLe14",
  SESSION_SECRET: "development-session-secret-change-me-0123456789",
} as const;
