import { z } from "zod";
import type { MessageContract } from "./envelope";
import { EmailSendV1 } from "./messages/email-send";
import { ReportGenerateV1 } from "./messages/report-generate";
import { UserRegistrationV1 } from "./messages/user-registration";
import { WebhookDeliverV1 } from "./messages/webhook-deliver";

/**
 * Every message contract, one entry per type and version: what the JSON Schemas in `schemas/` and
 * the AsyncAPI document are generated from (`pnpm --filter @userstream/contracts generate:schemas`).
 */
export const MESSAGE_CONTRACTS: readonly MessageContract[] = [
  UserRegistrationV1,
  EmailSendV1,
  ReportGenerateV1,
  WebhookDeliverV1,
];

/** `schemas/<type>.v<version>.json`: where a message's JSON Schema is committed. */
export function messageSchemaFile(contract: MessageContract): string {
  return `${contract.type}.v${contract.version}.json`;
}

/**
 * A message's JSON Schema (draft-07, which AsyncAPI and most validators read), generated from its
 * zod contract. It describes what a producer may send (zod's input side): optional fields and
 * their defaults are marked as such, and fields the schema does not name are allowed, since
 * consumers ignore them. zod stays the final judge: rules it checks in code (the characters of a
 * name, the shape of an email address) are in the descriptions only.
 */
export function messageJsonSchema(contract: MessageContract): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(contract.schema, { io: "input", target: "draft-07" });
  return { $schema, title: `${contract.type} v${contract.version}`, description: contract.summary, ...schema };
}
