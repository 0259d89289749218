import { describe, expect, it } from "vitest";
import { EMPTY_MIGRATION, withoutUnreadableIndexes } from "./schema-diff";

const DROP = '-- DropIndex\nDROP INDEX "users_email_prefix_idx";';
const CREATE = '-- CreateIndex\nCREATE INDEX "users_email_prefix_idx" ON "users"("email" text_pattern_ops);';
const OTHER = '-- CreateIndex\nCREATE INDEX "users_first_name_idx" ON "users"("first_name");';

describe("withoutUnreadableIndexes", () => {
  it("leaves out the engine's drop-and-create pair of an index it cannot read back", () => {
    expect(withoutUnreadableIndexes(`\n${DROP}\n\n${CREATE}\n`)).toBe(EMPTY_MIGRATION);
    expect(withoutUnreadableIndexes(`${DROP}\n\n${OTHER}\n\n${CREATE}\n`)).toBe(OTHER);
    expect(withoutUnreadableIndexes(`${EMPTY_MIGRATION}\n`)).toBe(EMPTY_MIGRATION);
  });

  it("keeps a lone CREATE (missing from the migrations) or a lone DROP (missing from the schema): that is drift", () => {
    expect(withoutUnreadableIndexes(`${CREATE}\n`)).toBe(CREATE);
    expect(withoutUnreadableIndexes(`${DROP}\n\n${OTHER}`)).toBe(`${DROP}\n\n${OTHER}`);
  });
});
