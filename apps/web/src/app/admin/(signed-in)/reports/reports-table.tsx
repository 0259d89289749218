import type { inferRouterOutputs } from "@trpc/server";
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS, describeFilters, formatBytes, formatDuration, formatUtc } from "~/lib/reports";
import type { AppRouter } from "~/server/api/root";
import { DataTable } from "~/app/components/data-table";

export type ReportRow = inferRouterOutputs<AppRouter>["reports"]["list"][number];

const dash = (
  <>
    <span aria-hidden="true">—</span>
    <span className="visually-hidden">none</span>
  </>
);

function FileCell({ report }: { report: ReportRow }) {
  if (report.status === "succeeded" && report.fileName) {
    // A plain link: the route answers with Content-Disposition: attachment, so the browser saves it.
    return (
      <a href={`/api/admin/reports/${report.id}/download`} download={report.fileName}>
        Download<span className="visually-hidden"> {report.fileName}</span>
      </a>
    );
  }
  if (report.status === "failed" && report.error) return <span className="report-error">{report.error}</span>;
  return dash;
}

const REPORT_COLUMNS = ["Created", "Report", "Filters", "Trigger", "Requested by", "Status", "Rows", "Size", "Duration", "File"];

/** The reports, newest first. React escapes every value (errors and emails included). */
export function ReportsTable({ reports }: { reports: readonly ReportRow[] }) {
  return (
    <DataTable caption="Reports, newest first" columns={REPORT_COLUMNS}>
      {reports.map((report) => (
        <tr key={report.id} data-testid="report-row">
          <td>{formatUtc(report.createdAt)}</td>
          <td>{REPORT_KIND_LABELS[report.kind]}</td>
          <td>{describeFilters(report.filters)}</td>
          <td>{report.trigger === "manual" ? "Manual" : "Schedule"}</td>
          <td>{report.requestedBy ?? dash}</td>
          <td>
            <span className={`report-status ${report.status}`} data-testid="report-status">
              {REPORT_STATUS_LABELS[report.status]}
            </span>
          </td>
          <td className="nowrap">{report.rowCount ?? dash}</td>
          <td className="nowrap">{report.byteSize === null ? dash : formatBytes(report.byteSize)}</td>
          <td className="nowrap">{report.durationMs === null ? dash : formatDuration(report.durationMs)}</td>
          <td>
            <FileCell report={report} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
