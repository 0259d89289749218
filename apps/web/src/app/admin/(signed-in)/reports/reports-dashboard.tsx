"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS, isReportActive } from "~/lib/reports";
import { useTRPC } from "~/trpc/react";
import { LoadedList } from "../../components/admin-messages";
import { Section } from "../../components/section";
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
      <Section id="generate-heading" title="Generate a report">
        <GenerateReportForm onQueued={() => void queryClient.invalidateQueries(trpc.reports.list.queryFilter())} />
      </Section>

      <Section id="list-heading" title="Reports">
        <p className="visually-hidden" aria-live="polite">
          {announcement}
        </p>
        <LoadedList list={reports} what="reports" empty="No reports yet.">
          {(rows) => <ReportsTable reports={rows} />}
        </LoadedList>
      </Section>
    </>
  );
}
