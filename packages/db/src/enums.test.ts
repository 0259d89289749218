import {
  NotificationKindSchema,
  NotificationStatusSchema,
  RegistrationOutcomeSchema,
  ReportKindSchema,
  ReportStatusSchema,
  ReportTriggerSchema,
} from "@userstream/contracts";
import { describe, expect, it } from "vitest";
import { NotificationKind, NotificationStatus, RegistrationOutcome, ReportKind, ReportStatus, ReportTrigger } from "./index";

// The contracts name the states the processes tell each other about; the database stores them in
// its own enums (schema.prisma). One without the other would fail only at run time.
describe("the database's enums", () => {
  it.each([
    ["registration_outcome", RegistrationOutcome, RegistrationOutcomeSchema.options],
    ["notification_kind", NotificationKind, NotificationKindSchema.options],
    ["notification_status", NotificationStatus, NotificationStatusSchema.options],
    ["report_kind", ReportKind, ReportKindSchema.options],
    ["report_trigger", ReportTrigger, ReportTriggerSchema.options],
    ["report_status", ReportStatus, ReportStatusSchema.options],
  ])("%s holds the values of the contracts' enum", (_, stored, contract) => {
    expect(Object.values(stored)).toEqual(contract);
  });
});
