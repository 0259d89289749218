import { describe, expect, it } from "vitest";
import { InvalidCursorError, decodeUserCursor, encodeUserCursor, isUserCursor } from "./user-cursor";

const cursor = { createdAt: new Date("2026-03-04T05:06:07.089Z"), id: "0b9f3c1e-6a55-4c3b-9a47-2f1f0f4a7e21" };

describe("user cursor", () => {
  it("round-trips the sort key exactly, to the millisecond", () => {
    expect(decodeUserCursor(encodeUserCursor(cursor))).toEqual(cursor);
  });

  it("is URL-safe and does not show its contents as plain text", () => {
    const encoded = encodeUserCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain(cursor.id);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON that is not an object", Buffer.from("42").toString("base64url")],
    ["a wrong id", Buffer.from(JSON.stringify({ c: cursor.createdAt.toISOString(), i: "1 OR 1=1" })).toString("base64url")],
    ["a wrong date", Buffer.from(JSON.stringify({ c: "yesterday", i: cursor.id })).toString("base64url")],
    ["an empty string", ""],
  ])("rejects %s", (_, encoded) => {
    expect(() => decodeUserCursor(encoded)).toThrow(InvalidCursorError);
    expect(isUserCursor(encoded)).toBe(false);
  });

  it("accepts what it made", () => {
    expect(isUserCursor(encodeUserCursor(cursor))).toBe(true);
  });
});
