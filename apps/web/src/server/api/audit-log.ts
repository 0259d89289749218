import type { Logger } from "@userstream/messaging";

/** Where a procedure writes the audit trail: the app's audit logger (absent in tests that do not read it). */
export interface AuditDeps {
  auditLog?: Pick<Logger, "info">;
}

/**
 * One line for each change made through the admin pages or the API: what, to which record, by
 * whom (the admin's email, or the API key's name and id). Never personal data of users.
 */
export function logAction({ auditLog }: AuditDeps, msg: string, fields: Record<string, string>): void {
  auditLog?.info(fields, msg);
}
