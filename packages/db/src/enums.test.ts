import {
  NotificationEventTypeSchema,
  NotificationKindSchema,
  NotificationStatusSchema,
  RegistrationOutcomeSchema,
  ReportKindSchema,
  ReportStatusSchema,
  ReportTriggerSchema,
  SuppressionReasonSchema,
} from "@userstream/contracts";
import { describe, expect, it } from "vitest";
import {
  NotificationEventType,
  NotificationKind,
  NotificationStatus,
  RegistrationOutcome,
  ReportKind,
  ReportStatus,
  ReportTrigger,
  SuppressionReason,
} from "./index";

// The contracts name the states the processes tell each other about; the database stores them in
// its own enums (prisma/schema/). One without the other would fail only at run time.
describe("the database's enums", () => {
  it.each([
    ["registration_outcome", RegistrationOutcome, RegistrationOutcomeSchema.options],
    ["notification_kind", NotificationKind, NotificationKindSchema.options],
    ["notification_status", NotificationStatus, NotificationStatusSchema.options],
    ["report_kind", ReportKind, ReportKindSchema.options],
    ["report_trigger", ReportTrigger, ReportTriggerSchema.options],
    ["report_status", ReportStatus, ReportStatusSchema.options],
    ["notification_event_type", NotificationEventType, NotificationEventTypeSchema.options],
    ["suppression_reason", SuppressionReason, SuppressionReasonSchema.options],
  ])("%s holds the values of the contracts' enum", (_, stored, contract) => {
    expect(Object.values(stored)).toEqual(contract);
  });
});
