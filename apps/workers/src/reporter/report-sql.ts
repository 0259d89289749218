import type { ReportRequest } from "@userstream/contracts";

/*
 * Each report is one constant COPY statement: PostgreSQL streams the rows as CSV (every non-null
 * cell quoted, quotes doubled), and `csv_safe` (a migration) neutralises cells a spreadsheet would
 * run as a formula. COPY takes no bind parameters, so the filters reach it as transaction-local
 * settings set with bind parameters beforehand: no value is ever spliced into SQL text. Each
 * setting is read in a scalar subquery, which PostgreSQL evaluates once per statement (an
 * InitPlan) instead of once per row, and the date range bounds the index scan.
 *
 * Times are PostgreSQL's ISO output in UTC (`2026-11-28 02:00:00.123+00`, RFC 3339 with a space;
 * trailing zeros of the fraction omitted): formatting them with to_char costs more than the rest
 * of the row together.
 */

const USERS = `COPY (
  SELECT id, csv_safe(first_name) AS first_name, csv_safe(last_name) AS last_name, csv_safe(email) AS email,
         CASE WHEN email_verified_at IS NULL THEN 'false' ELSE 'true' END AS verified,
         created_at AS registered_at
  FROM users
  WHERE created_at >= (SELECT coalesce(nullif(current_setting('userstream.report_from', true), '')::date, '-infinity')::timestamptz)
    AND created_at < (SELECT coalesce(nullif(current_setting('userstream.report_to', true), '')::date + 1, 'infinity')::timestamptz)
    AND ((SELECT current_setting('userstream.report_verified_only', true) IS DISTINCT FROM 'true') OR email_verified_at IS NOT NULL)
  ORDER BY users.created_at, users.id
) TO STDOUT WITH (FORMAT csv, HEADER true, FORCE_QUOTE *)`;

const NOTIFICATIONS = `COPY (
  SELECT n.id, n.user_id, csv_safe(u.email) AS email, n.kind, n.status, n.attempts, csv_safe(n.provider) AS provider,
         csv_safe(n.provider_message_id) AS provider_message_id, csv_safe(n.last_error) AS last_error,
         n.sent_at, n.created_at
  FROM notification_logs n LEFT JOIN users u ON u.id = n.user_id
  WHERE (SELECT nullif(current_setting('userstream.report_status', true), '')) IS NULL
     OR n.status::text = (SELECT current_setting('userstream.report_status', true))
  ORDER BY n.created_at, n.id
) TO STDOUT WITH (FORMAT csv, HEADER true, FORCE_QUOTE *)`;

/** The COPY statement of a report and the settings that carry its filters. */
export function reportStatement(request: ReportRequest): { copy: string; settings: Record<string, string> } {
  if (request.kind === "users") {
    const { registeredFrom = "", registeredTo = "", verifiedOnly = false } = request.filters;
    return {
      copy: USERS,
      settings: {
        "userstream.report_from": registeredFrom,
        "userstream.report_to": registeredTo,
        "userstream.report_verified_only": String(verifiedOnly),
      },
    };
  }
  return { copy: NOTIFICATIONS, settings: { "userstream.report_status": request.filters.status ?? "" } };
}
