import { z } from "zod";
import { defineMessage } from "../envelope";
import { QUEUES } from "../topology";
import { NotificationStatusSchema } from "./email-send";

export const ReportKindSchema = z.enum(["users", "notifications"]);
export type ReportKind = z.infer<typeof ReportKindSchema>;

export const ReportTriggerSchema = z.enum(["schedule", "manual"]);
export type ReportTrigger = z.infer<typeof ReportTriggerSchema>;

/** Run states of a report, as stored in `report_logs.status`. */
export const ReportStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);
export type ReportStatus = z.infer<typeof ReportStatusSchema>;

/** Filters of a users report; stored with the report. Dates are inclusive UTC days. */
export const UsersReportFiltersSchema = z
  .object({
    registeredFrom: z.iso.date().optional(),
    registeredTo: z.iso.date().optional(),
    verifiedOnly: z.boolean().optional(),
  })
  .strict()
  .refine((f) => !f.registeredFrom || !f.registeredTo || f.registeredFrom <= f.registeredTo, {
    message: "The start date must not be after the end date",
    path: ["registeredTo"],
  });
export type UsersReportFilters = z.infer<typeof UsersReportFiltersSchema>;

/** Filters of a notifications report. */
export const NotificationsReportFiltersSchema = z.object({ status: NotificationStatusSchema.optional() }).strict();
export type NotificationsReportFilters = z.infer<typeof NotificationsReportFiltersSchema>;

/** What an admin asks for: a kind and the filters that kind takes. */
export const ReportRequestSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("users"), filters: UsersReportFiltersSchema.default({}) }),
  z.object({ kind: z.literal("notifications"), filters: NotificationsReportFiltersSchema.default({}) }),
]);
export type ReportRequest = z.output<typeof ReportRequestSchema>;

export const ReportGeneratePayloadSchema = z.object({
  /** The `report_logs` row (status `queued`) the web recorded for this request. */
  reportId: z.uuid(),
  request: ReportRequestSchema,
  requestedBy: z.string().max(254).optional(),
});
export type ReportGeneratePayload = z.output<typeof ReportGeneratePayloadSchema>;

/** `report.generate` v1: write the CSV report recorded in report_logs. */
export const ReportGenerateV1 = defineMessage({
  queue: QUEUES.reportGenerate,
  type: "report.generate",
  version: 1,
  payload: ReportGeneratePayloadSchema,
  summary: "Write the CSV report recorded in a report_logs row (status `queued`); the reporter writes it and records the result.",
});
export type ReportGenerateMessage = z.output<typeof ReportGenerateV1.schema>;
