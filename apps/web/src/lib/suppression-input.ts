import type { SuppressionReason } from "@userstream/contracts";
import { z } from "zod";

/** `suppressions.list`: a fragment of the address, optional. */
export const SuppressionListInputSchema = z.object({
  search: z.string().trim().toLowerCase().max(254, "At most 254 characters").optional(),
});

/** `suppressions.remove`: the address and why it may receive email again (kept in the audit trail). */
export const SuppressionRemovalInputSchema = z.object({
  address: z.string().trim().toLowerCase().min(1, "Which address?").max(254),
  reason: z
    .string()
    .trim()
    .min(3, "Say why the address may receive email again (at least 3 characters)")
    .max(500, "At most 500 characters"),
});

export const SUPPRESSION_REASON_LABELS: Record<SuppressionReason, string> = {
  hard_bounce: "Hard bounce",
  complaint: "Complaint",
  soft_bounces: "Repeated soft bounces",
  manual: "Added by an admin",
};
