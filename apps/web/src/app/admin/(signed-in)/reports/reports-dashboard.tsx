"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS, isReportActive } from "~/lib/reports";
import { useTRPC } from "~/trpc/react";
import { LoadError } from "../../components/admin-messages";
import { GenerateReportForm } from "./generate-report-form";
import { ReportsTable, type ReportRow } from "./reports-table";

const POLL_MS = 2000;

/**
 * Says "Users report succeeded" (or failed) when a listed report finishes while the page is open,
 * so that a screen reader hears the outcome without re-reading the table.
 */
function useFinishedAnnouncement(reports: ReportRow[] | undefined): string {
  const previous = useRef<Map<string, ReportRow["status"]> | null>(null);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    if (!reports) return;
    const before = previous.current;
    previous.current = new Map(reports.map((report) => [report.id, report.status]));
    if (!before) return;
    const finished = reports.find((report) => {
      const was = before.get(report.id);
      return was !== undefined && isReportActive(was) && !isReportActive(report.status);
    });
    if (finished)
      setAnnouncement(`${REPORT_KIND_LABELS[finished.kind]} report ${REPORT_STATUS_LABELS[finished.status].toLowerCase()}.`);
  }, [reports]);
  return announcement;
}

export function ReportsDashboard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reports = useQuery(
    trpc.reports.list.queryOptions(undefined, {
      // Poll only while something can still change; stop on an error (e.g. the session ended).
      refetchInterval: (query) =>
        query.state.status !== "error" && query.state.data?.some((report) => isReportActive(report.status)) ? POLL_MS : false,
    }),
  );
  const announcement = useFinishedAnnouncement(reports.data);

  return (
    <>
      <section aria-labelledby="generate-heading">
        <h2 id="generate-heading">Generate a report</h2>
        <GenerateReportForm onQueued={() => void queryClient.invalidateQueries(trpc.reports.list.queryFilter())} />
      </section>

      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Reports</h2>
        <p className="visually-hidden" aria-live="polite">
          {announcement}
        </p>
        <LoadError error={reports.error} what="reports" />
        {reports.data?.length === 0 ? <p className="muted">No reports yet.</p> : null}
        {reports.data && reports.data.length > 0 ? <ReportsTable reports={reports.data} /> : null}
      </section>
    </>
  );
}
