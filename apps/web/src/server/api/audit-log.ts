/**
 * One JSON line for each change made through the admin pages or the API: what, to which record,
 * by whom (the admin's email, or the API key's name and id). Never personal data of users.
 */
export function logAction(msg: string, fields: Record<string, string>): void {
  console.info(JSON.stringify({ level: "info", msg, ...fields }));
}
