import { describe, expect, it } from "vitest";
import {
  InvalidCursorError,
  decodeUserCursor,
  encodeUserCursor,
  isUserCursor,
  rowsAfter,
  USER_SORTS,
  type UserCursor,
} from "./user-cursor";

const id = "0b9f3c1e-6a55-4c3b-9a47-2f1f0f4a7e21";
const newest: UserCursor = { sort: "created_desc", key: { createdAt: new Date("2026-03-04T05:06:07.089Z"), id } };
const byName: UserCursor = { sort: "last_name_asc", key: { lastName: "O'Brien", firstName: "Seán", id } };

function encoded(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

describe("user cursor", () => {
  it.each([newest, byName])("round-trips the sort and its key exactly", (cursor) => {
    expect(decodeUserCursor(encodeUserCursor(cursor))).toEqual(cursor);
  });

  it("keeps only the sort's columns", () => {
    const row = { createdAt: new Date(0), id, lastName: "Lovelace", firstName: "Ada", email: "ada@example.com" };
    expect(decodeUserCursor(encodeUserCursor({ sort: "email_desc", key: row }))).toEqual({
      sort: "email_desc",
      key: { email: "ada@example.com" },
    });
  });

  it("is URL-safe and does not show its contents as plain text", () => {
    const cursor = encodeUserCursor(newest);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(id);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON that is not an object", encoded(42)],
    ["an unknown sort", encoded({ s: "password", k: ["x"] })],
    ["a wrong id", encoded({ s: "created_desc", k: [newest.key.createdAt, "1 OR 1=1"] })],
    ["a wrong date", encoded({ s: "created_desc", k: ["yesterday", id] })],
    ["too few values", encoded({ s: "last_name_asc", k: ["Lovelace", id] })],
    ["an empty string", ""],
  ])("rejects %s", (_, cursor) => {
    expect(() => decodeUserCursor(cursor)).toThrow(InvalidCursorError);
    expect(isUserCursor(cursor, "created_desc")).toBe(false);
  });

  it("accepts what it made, for the order it was made for only", () => {
    expect(isUserCursor(encodeUserCursor(newest), "created_desc")).toBe(true);
    expect(isUserCursor(encodeUserCursor(newest), "created_asc")).toBe(false);
  });
});

describe("rowsAfter", () => {
  it("starts at the cursor's first column, then compares column by column (< descending, > ascending)", () => {
    expect(rowsAfter(USER_SORTS.last_name_asc, byName.key)).toEqual({
      AND: [
        { lastName: { gte: "O'Brien" } },
        {
          OR: [
            { lastName: { gt: "O'Brien" } },
            { lastName: "O'Brien", firstName: { gt: "Seán" } },
            { lastName: "O'Brien", firstName: "Seán", id: { gt: id } },
          ],
        },
      ],
    });
    expect(rowsAfter(USER_SORTS.created_desc, newest.key)).toEqual({
      AND: [
        { createdAt: { lte: newest.key.createdAt } },
        { OR: [{ createdAt: { lt: newest.key.createdAt } }, { createdAt: newest.key.createdAt, id: { lt: id } }] },
      ],
    });
  });

  it("refuses a key that lacks a column, rather than leaving a condition out", () => {
    expect(() => rowsAfter(USER_SORTS.last_name_asc, { lastName: "Lovelace", id })).toThrow(InvalidCursorError);
  });
});
