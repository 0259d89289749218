import { z } from "zod";

/** The position after which the next page starts: the last row's sort key (createdAt desc, id desc). */
export interface UserCursor {
  createdAt: Date;
  id: string;
}

const CursorPayloadSchema = z.object({ c: z.iso.datetime(), i: z.uuid() });

/** Thrown for a cursor this app did not make (tampered, truncated or from another version). */
export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not valid; start again from the first page.");
    this.name = "InvalidCursorError";
  }
}

/**
 * Opaque to clients (base64url of a small JSON object) so that the sort key can change without
 * breaking the API contract; clients only pass back what they were given.
 */
export function encodeUserCursor(cursor: UserCursor): string {
  const payload = JSON.stringify({ c: cursor.createdAt.toISOString(), i: cursor.id });
  return Buffer.from(payload, "utf8").toString("base64url");
}

export function decodeUserCursor(encoded: string): UserCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = CursorPayloadSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError();
  return { createdAt: new Date(parsed.data.c), id: parsed.data.i };
}

/** True when `encoded` is a cursor this app made. */
export function isUserCursor(encoded: string): boolean {
  try {
    decodeUserCursor(encoded);
    return true;
  } catch {
    return false;
  }
}
