import { UserSortSchema, type UserSort } from "@userstream/contracts";
import { z } from "zod";

/**
 * The columns of each order the users list offers (`UserSortSchema` in the contracts). Each ends in
 * a unique column, so every row has exactly one position and keyset pages never overlap or skip rows.
 */
export const USER_SORTS = {
  created_desc: [
    { field: "createdAt", direction: "desc" },
    { field: "id", direction: "desc" },
  ],
  created_asc: [
    { field: "createdAt", direction: "asc" },
    { field: "id", direction: "asc" },
  ],
  last_name_asc: [
    { field: "lastName", direction: "asc" },
    { field: "firstName", direction: "asc" },
    { field: "id", direction: "asc" },
  ],
  last_name_desc: [
    { field: "lastName", direction: "desc" },
    { field: "firstName", direction: "desc" },
    { field: "id", direction: "desc" },
  ],
  email_asc: [{ field: "email", direction: "asc" }],
  email_desc: [{ field: "email", direction: "desc" }],
} as const satisfies Record<UserSort, readonly SortColumn[]>;

export type SortField = "createdAt" | "id" | "lastName" | "firstName" | "email";
export interface SortColumn {
  field: SortField;
  direction: "asc" | "desc";
}

/** A row's values of the sort columns. */
export type SortKey = Partial<Record<SortField, Date | string>>;

/** The position after which the next page starts: the order and the last row's sort key. */
export interface UserCursor {
  sort: UserSort;
  key: SortKey;
}

const valueSchemas: Record<SortField, z.ZodType<Date | string>> = {
  createdAt: z.iso.datetime().transform((value) => new Date(value)),
  id: z.uuid(),
  lastName: z.string().max(100),
  firstName: z.string().max(100),
  email: z.string().max(254),
};

const CursorPayloadSchema = z.object({ s: UserSortSchema, k: z.array(z.string()) });

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
  const values = USER_SORTS[cursor.sort].map(({ field }) => {
    const value = cursor.key[field];
    return value instanceof Date ? value.toISOString() : String(value);
  });
  return Buffer.from(JSON.stringify({ s: cursor.sort, k: values }), "utf8").toString("base64url");
}

export function decodeUserCursor(encoded: string): UserCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  const payload = CursorPayloadSchema.safeParse(json);
  if (!payload.success) throw new InvalidCursorError();
  const columns = USER_SORTS[payload.data.s];
  if (payload.data.k.length !== columns.length) throw new InvalidCursorError();
  const key: SortKey = {};
  for (const [index, { field }] of columns.entries()) {
    const value = valueSchemas[field].safeParse(payload.data.k[index]);
    if (!value.success) throw new InvalidCursorError();
    key[field] = value.data;
  }
  return { sort: payload.data.s, key };
}

/** True when `encoded` is a cursor this app made for `sort`. */
export function isUserCursor(encoded: string, sort: UserSort): boolean {
  try {
    return decodeUserCursor(encoded).sort === sort;
  } catch {
    return false;
  }
}

type Bound = { lt: Date | string } | { gt: Date | string } | { lte: Date | string } | { gte: Date | string };
type Comparison = Partial<Record<SortField, Date | string | Bound>>;

/**
 * The rows strictly after `key` in the order `columns`: (a > x) OR (a = x AND b > y) OR …, with
 * `<` for descending columns, and `a >= x` on its own in front of it, so that PostgreSQL starts the
 * index scan at the cursor instead of filtering every row before it (a page 10,000 rows deep then
 * costs what the first page costs). Prisma turns each comparison into a bound parameter.
 */
export function rowsAfter(columns: readonly SortColumn[], key: SortKey): { AND: [Comparison, { OR: Comparison[] }] } {
  const [first] = columns;
  const firstValue = first ? key[first.field] : undefined;
  if (!first || firstValue === undefined) throw new InvalidCursorError();
  const startAt: Comparison = { [first.field]: first.direction === "asc" ? { gte: firstValue } : { lte: firstValue } };
  return {
    AND: [
      startAt,
      {
        OR: columns.map((column, index) => {
          const condition: Comparison = {};
          for (const earlier of columns.slice(0, index)) condition[earlier.field] = key[earlier.field];
          const value = key[column.field];
          if (value === undefined) throw new InvalidCursorError();
          condition[column.field] = column.direction === "asc" ? { gt: value } : { lt: value };
          return condition;
        }),
      },
    ],
  };
}
