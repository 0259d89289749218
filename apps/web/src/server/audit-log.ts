import type { Logger } from "@userstream/runtime";

/** Where a procedure writes the audit trail: the app's audit logger (absent in tests that do not read it). */
export interface AuditDeps {
  auditLog?: Pick<Logger, "info">;
}

/**
 * One line for each change made through the admin pages or the API: what, to which record, by
 * whom (the admin's email, or the API key's name and id), and for each admin sign-in attempt
 * (the email typed and the client's address: who was tried, from where). Never other personal
 * data of users, never a password.
 */
export function logAction({ auditLog }: AuditDeps, msg: string, fields: Record<string, string | number>): void {
  auditLog?.info(fields, msg);
}
