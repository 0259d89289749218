import { fieldErrors } from "@userstream/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { EMAIL_EVENT_LABELS, EMAIL_STATUS_LABELS, EmailLogInputSchema } from "~/lib/email-log-input";
import { formatUtc } from "~/lib/reports";
import { requireAdminSession } from "~/server/auth/admin-session";
import { serverCaller } from "~/trpc/server";
import { DataTable } from "~/app/components/data-table";
import { SelectField } from "~/app/components/select-field";
import { EmailAction } from "./email-action";

export const metadata: Metadata = { title: "Email delivery" };

const EMAIL_COLUMNS = [
  "Created",
  "To",
  "Status",
  "Attempts",
  "Last error",
  "Sent",
  "Last action",
  { key: "actions", label: <span className="visually-hidden">Actions</span> },
];

type SearchParams = Record<string, string | string[] | undefined>;
const FILTER_NAMES = ["status", "email", "from", "to", "cursor"] as const;

/** The filters in the address, blanks left out (the form submits every field). */
function filtersFrom(params: SearchParams): Partial<Record<(typeof FILTER_NAMES)[number], string>> {
  const filters: Partial<Record<(typeof FILTER_NAMES)[number], string>> = {};
  for (const name of FILTER_NAMES) {
    const value = params[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text?.trim()) filters[name] = text;
  }
  return filters;
}

export default async function EmailsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdminSession();
  const filters = filtersFrom(await searchParams);
  const parsed = EmailLogInputSchema.safeParse(filters);
  const errors = parsed.success ? null : fieldErrors(parsed.error);
  const page = parsed.success ? await (await serverCaller()).emails.list(parsed.data) : null;
  const next = page?.nextCursor ? `?${new URLSearchParams({ ...filters, cursor: page.nextCursor }).toString()}` : null;

  return (
    <>
      <h1>Email delivery</h1>
      <form className="filters" method="get" aria-label="Filter emails">
        <SelectField
          id="filter-status"
          label="Status"
          name="status"
          any="Any"
          options={EMAIL_STATUS_LABELS}
          defaultValue={filters.status ?? ""}
        />
        <div className="field">
          <label htmlFor="filter-email">Email contains</label>
          <input id="filter-email" name="email" type="search" defaultValue={filters.email ?? ""} maxLength={254} />
        </div>
        <div className="field">
          <label htmlFor="filter-from">From (UTC)</label>
          <input id="filter-from" name="from" type="date" defaultValue={filters.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To (UTC)</label>
          <input id="filter-to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </div>
        <button className="button" type="submit">
          Filter
        </button>
        <Link href="/admin/emails">Clear</Link>
      </form>

      {errors ? (
        <div role="alert" className="alert">
          <p>These filters cannot be used:</p>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}>
                {field}: {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {page && page.items.length === 0 ? <p>No emails match.</p> : null}
      {page && page.items.length > 0 ? (
        <DataTable caption="Emails, newest first" columns={EMAIL_COLUMNS}>
          {page.items.map((row) => (
            <tr key={row.id} data-testid="email-row">
              <td className="nowrap">{formatUtc(row.createdAt)}</td>
              <td>{row.email ?? <span className="muted">deleted user</span>}</td>
              <td>
                <span className={`email-status ${row.status}`} data-testid="email-status">
                  {EMAIL_STATUS_LABELS[row.status]}
                </span>
                {row.events.length > 0 ? (
                  <details data-testid="email-timeline">
                    <summary>Timeline ({row.events.length})</summary>
                    <ol>
                      {row.events.map((event, index) => (
                        <li key={index}>
                          {formatUtc(event.occurredAt)} {EMAIL_EVENT_LABELS[event.type]}
                          {event.type === "bounced" ? (event.permanent ? " (hard)" : " (soft)") : ""}{" "}
                          <span className="muted">{event.provider}</span>
                          {event.detail ? <div className="muted">{event.detail}</div> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
              </td>
              <td>{row.attempts}</td>
              <td className="report-error">{row.lastError ?? ""}</td>
              <td className="nowrap">{row.sentAt ? formatUtc(row.sentAt) : ""}</td>
              <td>
                {row.lastAction
                  ? `${row.lastAction.action === "resend" ? "Resent" : "Replayed"} by ${row.lastAction.adminEmail}, ${formatUtc(row.lastAction.createdAt)}`
                  : ""}
              </td>
              <td>
                {row.email && row.status === "failed" ? <EmailAction action="resend" id={row.id} email={row.email} /> : null}
                {row.email && row.status === "dead" ? <EmailAction action="replay" id={row.id} email={row.email} /> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {next ? (
        <p className="list-footer">
          <Link href={next}>Older emails</Link>
        </p>
      ) : null}
    </>
  );
}
