import { UserUpdateSchema, type UserUpdate } from "@userstream/contracts";
import { Prisma, type PrismaClient } from "@userstream/db";
import { z } from "zod";
import { UserSortSchema, decodeUserCursor, encodeUserCursor, isUserCursor, type SortKey, type UserSort } from "./user-cursor";

export const USERS_PAGE_DEFAULT = 20;
export const USERS_PAGE_MAX = 100;

/** Words of a search beyond this many are ignored: each word is one more condition on every row. */
const SEARCH_MAX_WORDS = 5;

/** Query of the users list; also the tRPC/REST input (strings in a query string are coerced). */
export const ListUsersInputSchema = z
  .object({
    search: z.string().trim().max(100, "Search must be at most 100 characters").optional(),
    sort: UserSortSchema.default("created_desc"),
    cursor: z.string().max(1000).nullish(),
    limit: z.number().int().min(1).max(USERS_PAGE_MAX).default(USERS_PAGE_DEFAULT),
  })
  // Checked here, so that a forged cursor (or one made for another order) is a 400 with a field
  // error rather than a server error.
  .refine((input) => !input.cursor || isUserCursor(input.cursor, input.sort), {
    path: ["cursor"],
    message: "The cursor is not valid; start again from the first page.",
  });
export type ListUsersInput = z.input<typeof ListUsersInputSchema>;

export const UserListItemSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type UserListItem = z.infer<typeof UserListItemSchema>;

export const UserListPageSchema = z.object({
  items: z.array(UserListItemSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type UserListPage = z.infer<typeof UserListPageSchema>;

/**
 * Prisma puts `contains` into `ILIKE '%…%'` without escaping, so a `%` or `_` typed into the
 * search box would act as a wildcard. Backslash is PostgreSQL's default LIKE escape character.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

export interface ListUsersDeps {
  db: Pick<PrismaClient, "user" | "$queryRaw">;
}

/** Above this many users, the unfiltered total is PostgreSQL's estimate rather than a count. */
export const EXACT_TOTAL_LIMIT = 100_000;

/**
 * Every user, counted exactly up to {@link EXACT_TOTAL_LIMIT}; beyond it, the planner's estimate
 * (kept current by autovacuum), since counting a million rows on every page view takes longer
 * than the page itself. A list that long shows "about" that many anyway.
 */
async function countAllUsers(db: ListUsersDeps["db"]): Promise<number> {
  const [estimate] = await db.$queryRaw<Array<{ rows: number }>>`
    SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'users'::regclass`;
  if (estimate && estimate.rows > EXACT_TOTAL_LIMIT) return Math.round(estimate.rows);
  return db.user.count();
}

const USER_FIELDS = { id: true, firstName: true, lastName: true, email: true, emailVerifiedAt: true, createdAt: true } as const;

interface UserRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

function toUserListItem(user: UserRow): UserListItem {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

/**
 * Each order of the list as SQL: its ORDER BY, and the rows after a cursor's key as one row
 * comparison (the columns of an order share one direction), with the first column's bound repeated
 * so that PostgreSQL starts the index scan at the cursor (a page 10,000 rows deep costs what the
 * first page costs). Constant text; the key's values are bound parameters. The same orders as
 * USER_SORTS, which the cursors encode.
 */
const ORDERS: Record<UserSort, { orderBy: Prisma.Sql; after(key: SortKey): Prisma.Sql }> = {
  created_desc: {
    orderBy: Prisma.sql`created_at DESC, id DESC`,
    after: (k) => Prisma.sql`created_at <= ${k.createdAt}::timestamptz AND (created_at, id) < (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  created_asc: {
    orderBy: Prisma.sql`created_at ASC, id ASC`,
    after: (k) => Prisma.sql`created_at >= ${k.createdAt}::timestamptz AND (created_at, id) > (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  last_name_asc: {
    orderBy: Prisma.sql`last_name ASC, first_name ASC, id ASC`,
    after: (k) => Prisma.sql`last_name >= ${k.lastName} AND (last_name, first_name, id) > (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  last_name_desc: {
    orderBy: Prisma.sql`last_name DESC, first_name DESC, id DESC`,
    after: (k) => Prisma.sql`last_name <= ${k.lastName} AND (last_name, first_name, id) < (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  email_asc: { orderBy: Prisma.sql`email ASC`, after: (k) => Prisma.sql`email > ${k.email}` },
  email_desc: { orderBy: Prisma.sql`email DESC`, after: (k) => Prisma.sql`email < ${k.email}` },
};

/** Every word must appear in the first name, the last name or the email: "ada love" finds Ada Lovelace. */
function searchCondition(search: string | undefined): Prisma.Sql {
  const words = (search ?? "").split(/\s+/).filter(Boolean).slice(0, SEARCH_MAX_WORDS);
  return words.reduce((condition, word) => {
    const pattern = `%${escapeLikePattern(word)}%`;
    return Prisma.sql`${condition} AND (first_name ILIKE ${pattern} OR last_name ILIKE ${pattern} OR email ILIKE ${pattern})`;
  }, Prisma.sql`TRUE`);
}

/**
 * One page of users in the chosen order (newest first by default). Keyset pagination: the next
 * page starts strictly after the last row returned (its sort key is the cursor), so pages never
 * overlap or skip rows even while users are being added, and deep pages cost the same as the
 * first (no OFFSET).
 *
 * Search is a case-insensitive substring match (ILIKE) of each word on first name, last name or
 * email, which the pg_trgm GIN indexes serve. `total` counts every user matching the search, not
 * just this page; without a search, beyond {@link EXACT_TOTAL_LIMIT} users it is an estimate.
 *
 * Tagged `$queryRaw` rather than `findMany`: this runs on every page view, and Prisma's query
 * compiler costs more CPU per typed query than PostgreSQL takes to answer it (docs/benchmarks.md).
 */
export async function listUsers(input: ListUsersInput, { db }: ListUsersDeps): Promise<UserListPage> {
  const { search, sort, cursor, limit } = ListUsersInputSchema.parse(input);
  const order = ORDERS[sort];
  const matches = searchCondition(search);
  const after = cursor ? order.after(decodeUserCursor(cursor).key) : Prisma.sql`TRUE`;

  const [rows, total] = await Promise.all([
    // One extra row tells whether another page exists without a second query.
    db.$queryRaw<UserRow[]>`
      SELECT id, first_name AS "firstName", last_name AS "lastName", email, email_verified_at AS "emailVerifiedAt", created_at AS "createdAt"
      FROM users WHERE ${matches} AND ${after} ORDER BY ${order.orderBy} LIMIT ${limit + 1}`,
    search?.trim() ? countMatching(db, matches) : countAllUsers(db),
  ]);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toUserListItem),
    nextCursor: rows.length > limit && last ? encodeUserCursor({ sort, key: last }) : null,
    total,
  };
}

async function countMatching(db: ListUsersDeps["db"], matches: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM users WHERE ${matches}`;
  return row?.n ?? 0;
}

export const UserIdSchema = z.uuid("User id must be a UUID");

/** `{ id, firstName?, lastName? }`: the user and the names to change, at least one. */
export const UpdateUserInputSchema = UserUpdateSchema.extend({ id: UserIdSchema }).refine(
  (input) => input.firstName !== undefined || input.lastName !== undefined,
  "Send firstName, lastName or both",
);

export interface UserDeps {
  db: Pick<PrismaClient, "user" | "notificationLog" | "$transaction">;
}

/** One user, or null when there is none with that id. */
export async function getUser(id: string, { db }: Pick<UserDeps, "db">): Promise<UserListItem | null> {
  const user = await db.user.findUnique({ where: { id: UserIdSchema.parse(id) }, select: USER_FIELDS });
  return user ? toUserListItem(user) : null;
}

/** Changes a user's names (validated like a registration); null when there is no such user. */
export async function updateUser(id: string, changes: UserUpdate, { db }: Pick<UserDeps, "db">): Promise<UserListItem | null> {
  const data = UserUpdateSchema.parse(changes);
  const [user] = await db.user.updateManyAndReturn({ where: { id: UserIdSchema.parse(id) }, data, select: USER_FIELDS });
  return user ? toUserListItem(user) : null;
}

/** What a deleted user's queued welcome email records, instead of being sent. */
export const DELETED_USER_ERROR = "the user was deleted";

/**
 * Deletes a user, in one transaction: the `users` row (names, email, verification) is removed,
 * and their `notification_logs` rows are kept anonymised for the delivery counts: no user id, no
 * error text (an SMTP error may quote the address), no provider message id (it leads to the
 * provider's copy); kind, status, provider, attempts and times stay. A welcome email still queued
 * is marked failed rather than sent. `registrations` rows lose their user id (the foreign key)
 * and hold nothing personal. False when there is no such user.
 */
export async function deleteUser(id: string, { db }: UserDeps): Promise<boolean> {
  const userId = UserIdSchema.parse(id);
  const [, , deleted] = await db.$transaction([
    db.notificationLog.updateMany({
      where: { userId, status: "queued" },
      data: { userId: null, status: "failed", lastError: DELETED_USER_ERROR, providerMessageId: null, leaseExpiresAt: null },
    }),
    db.notificationLog.updateMany({ where: { userId }, data: { userId: null, lastError: null, providerMessageId: null } }),
    db.user.deleteMany({ where: { id: userId } }),
  ]);
  return deleted.count === 1;
}
