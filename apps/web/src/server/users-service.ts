import {
  PublicUserListQuerySchema,
  UpdateUserInputSchema,
  UserIdSchema,
  UserListQuerySchema,
  UserUpdateSchema,
  maskEmail,
  userSearchWords,
  type DeletedUser,
  type PublicUserListItem,
  type PublicUserListPage,
  type UpdateUserInput,
  type UserListItem,
  type UserListPage,
  type UserSort,
} from "@userstream/contracts";
import { Prisma, type PrismaClient } from "@userstream/db";
import type { z } from "zod";
import { logAction, type AuditDeps } from "./audit-log";
import { emitUserEvent } from "./webhooks/webhook-events";
import { decodeUserCursor, encodeUserCursor, isUserCursor, type SortKey } from "./user-cursor";

/** Words of a search beyond this many are ignored: each word is one more condition on every row. */
const SEARCH_MAX_WORDS = 5;

/**
 * Checked in the schema, so that a forged cursor (or one made for another order) is a 400 with a
 * field error rather than a server error.
 */
const CURSOR_MATCHES_ORDER: [
  (input: { cursor?: string | null; sort: UserSort }) => boolean,
  { path: string[]; message: string },
] = [
  (input) => !input.cursor || isUserCursor(input.cursor, input.sort),
  { path: ["cursor"], message: "The cursor is not valid; start again from the first page." },
];

/** Query of the full users list (admins, API keys): the contract's, with cursors this app made for the order. */
export const ListUsersInputSchema = UserListQuerySchema.refine(...CURSOR_MATCHES_ORDER);
export type ListUsersInput = z.input<typeof ListUsersInputSchema>;

/** Query of the public directory: the same, without the email orders. */
export const ListPublicUsersInputSchema = PublicUserListQuerySchema.refine(...CURSOR_MATCHES_ORDER);
export type ListPublicUsersInput = z.input<typeof ListPublicUsersInputSchema>;

/**
 * A search word as an ILIKE pattern's text: `%` and `_` typed into the search box must match
 * themselves, not act as wildcards. Backslash is PostgreSQL's default LIKE escape character.
 */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

export interface ListUsersDeps {
  db: Pick<PrismaClient, "user" | "$queryRaw">;
}

/** Above this many users, the unfiltered total is PostgreSQL's estimate rather than a count. */
const EXACT_TOTAL_LIMIT = 100_000;

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

function toPublicUserListItem(user: UserRow): PublicUserListItem {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    maskedEmail: maskEmail(user.email),
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
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
    after: (k) =>
      Prisma.sql`created_at <= ${k.createdAt}::timestamptz AND (created_at, id) < (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  created_asc: {
    orderBy: Prisma.sql`created_at ASC, id ASC`,
    after: (k) =>
      Prisma.sql`created_at >= ${k.createdAt}::timestamptz AND (created_at, id) > (${k.createdAt}::timestamptz, ${k.id}::uuid)`,
  },
  last_name_asc: {
    orderBy: Prisma.sql`last_name ASC, first_name ASC, id ASC`,
    after: (k) =>
      Prisma.sql`last_name >= ${k.lastName} AND (last_name, first_name, id) > (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  last_name_desc: {
    orderBy: Prisma.sql`last_name DESC, first_name DESC, id DESC`,
    after: (k) =>
      Prisma.sql`last_name <= ${k.lastName} AND (last_name, first_name, id) < (${k.lastName}, ${k.firstName}, ${k.id}::uuid)`,
  },
  email_asc: { orderBy: Prisma.sql`email ASC`, after: (k) => Prisma.sql`email > ${k.email}` },
  email_desc: { orderBy: Prisma.sql`email DESC`, after: (k) => Prisma.sql`email < ${k.email}` },
};

/**
 * Every word must appear in one of the columns searched: "ada love" finds Ada Lovelace. The public
 * directory searches the names only, so that its answers never tell whether an address is stored.
 */
function searchCondition(search: string | undefined, scope: SearchScope): Prisma.Sql {
  const words = userSearchWords(search ?? "").slice(0, SEARCH_MAX_WORDS);
  return words.reduce(
    (condition, word) => {
      const pattern = `%${escapeLikePattern(word)}%`;
      const names = Prisma.sql`first_name ILIKE ${pattern} OR last_name ILIKE ${pattern}`;
      return scope === "names"
        ? Prisma.sql`${condition} AND (${names})`
        : Prisma.sql`${condition} AND (${names} OR email ILIKE ${pattern})`;
    },
    Prisma.sql`TRUE`,
  );
}

type SearchScope = "names" | "names and email";

interface PageQuery {
  search?: string;
  sort: UserSort;
  cursor?: string | null;
  limit: number;
}

/**
 * One page of users in the chosen order (newest first by default). Keyset pagination: the next
 * page starts strictly after the last row returned (its sort key is the cursor), so pages never
 * overlap or skip rows even while users are being added, and deep pages cost the same as the
 * first (no OFFSET).
 *
 * Search is a case-insensitive substring match (ILIKE) of each word, which the pg_trgm GIN indexes
 * serve. `total` counts every user matching the search, not just this page; without a search,
 * beyond {@link EXACT_TOTAL_LIMIT} users it is an estimate.
 *
 * Tagged `$queryRaw` rather than `findMany`: this runs on every page view, and Prisma's query
 * compiler costs more CPU per typed query than PostgreSQL takes to answer it (docs/benchmarks.md).
 */
async function queryPage({ search, sort, cursor, limit }: PageQuery, scope: SearchScope, db: ListUsersDeps["db"]) {
  const order = ORDERS[sort];
  const matches = searchCondition(search, scope);
  const after = cursor ? order.after(decodeUserCursor(cursor).key) : Prisma.sql`TRUE`;

  const [rows, total] = await Promise.all([
    // One extra row tells whether another page exists without a second query.
    db.$queryRaw<UserRow[]>`
      SELECT id, first_name AS "firstName", last_name AS "lastName", email, email_verified_at AS "emailVerifiedAt", created_at AS "createdAt"
      FROM users WHERE ${matches} AND ${after} ORDER BY ${order.orderBy} LIMIT ${limit + 1}`,
    search ? countMatching(db, matches) : countAllUsers(db),
  ]);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeUserCursor({ sort, key: last }) : null, total };
}

/** A page of the full list, for signed-in admins and API keys: emails included, searched by name or email. */
export async function listUsers(input: ListUsersInput, { db }: ListUsersDeps): Promise<UserListPage> {
  const { rows, nextCursor, total } = await queryPage(ListUsersInputSchema.parse(input), "names and email", db);
  return { items: rows.map(toUserListItem), nextCursor, total };
}

/**
 * A page of the public directory, for anyone: names and masked addresses only (`maskEmail`),
 * searched by name only, never ordered by email.
 */
export async function listPublicUsers(input: ListPublicUsersInput, { db }: ListUsersDeps): Promise<PublicUserListPage> {
  const { rows, nextCursor, total } = await queryPage(ListPublicUsersInputSchema.parse(input), "names", db);
  return { items: rows.map(toPublicUserListItem), nextCursor, total };
}

async function countMatching(db: ListUsersDeps["db"], matches: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM users WHERE ${matches}`;
  return row?.n ?? 0;
}

export interface UserDeps extends AuditDeps {
  db: Pick<
    PrismaClient,
    "user" | "notificationLog" | "notificationEvent" | "emailSendRequest" | "webhookDelivery" | "$executeRaw" | "$transaction"
  >;
}

/** Who changed a user, as the audit trail names them: the admin's email, or the API key's name and id. */
export type Actor = Record<string, string>;

/** What a caller is told for an id that names no user (any more). */
export const NO_SUCH_USER = "No such user.";

/** One user, or null when there is none with that id. */
export async function getUser(id: string, { db }: Pick<UserDeps, "db">): Promise<UserListItem | null> {
  const user = await db.user.findUnique({ where: { id: UserIdSchema.parse(id) }, select: USER_FIELDS });
  return user ? toUserListItem(user) : null;
}

/** Changes a user's names (validated like a registration) and logs who did; null when there is no such user. */
export async function updateUser(input: UpdateUserInput, deps: UserDeps, by: Actor): Promise<UserListItem | null> {
  const { id, ...changes } = UpdateUserInputSchema.parse(input);
  const [user] = await deps.db.user.updateManyAndReturn({
    where: { id },
    data: UserUpdateSchema.parse(changes),
    select: USER_FIELDS,
  });
  if (!user) return null;
  logAction(deps, "user renamed", { userId: id, ...by });
  return toUserListItem(user);
}

/** What a deleted user's queued welcome email records, instead of being sent. */
export const DELETED_USER_ERROR = "the user was deleted";

/**
 * Deletes a user, in one transaction, and logs who did: the `users` row (names, email,
 * verification) is removed, and their `notification_logs` rows are kept anonymised for the
 * delivery counts: no user id, no error text (an SMTP error may quote the address), no provider
 * message id (it leads to the provider's copy), no provider text on their events; kind, status,
 * provider, attempts, times and the events' types stay; "send again" requests for them keep their
 * times but lose the requester's client address. A
 * welcome email still queued is marked failed rather than sent. `registrations` rows lose their
 * user id (the foreign key) and hold nothing personal. The webhook deliveries about them keep only
 * the user's id in their data, and `user.deleted` is recorded for the subscribed endpoints, in the
 * same transaction. Null when there is no such user.
 *
 * The one way a user is deleted: by an admin (`/admin/users`), by an API key (`DELETE /api/v1/users/{id}`)
 * and by the person (`/manage`, data-rights-service.ts) alike.
 */
export async function deleteUser(id: string, deps: UserDeps, by: Actor): Promise<DeletedUser | null> {
  const userId = UserIdSchema.parse(id);
  const { db } = deps;
  const deleted = await db.$transaction(async (tx) => {
    // A provider's bounce text may quote the address.
    await tx.notificationEvent.updateMany({ where: { notification: { userId } }, data: { detail: null } });
    // Whoever asked for the email again, from where: theirs or a stranger's network, either way not to keep.
    await tx.emailSendRequest.updateMany({
      where: { OR: [{ notification: { userId } }, { registration: { userId } }] },
      data: { clientKey: null },
    });
    await tx.notificationLog.updateMany({
      where: { userId, status: "queued" },
      data: { userId: null, status: "failed", lastError: DELETED_USER_ERROR, providerMessageId: null, leaseExpiresAt: null },
    });
    await tx.notificationLog.updateMany({ where: { userId }, data: { userId: null, lastError: null, providerMessageId: null } });
    await tx.webhookDelivery.updateMany({ where: { userId }, data: { data: { userId } } });
    const { count } = await tx.user.deleteMany({ where: { id: userId } });
    if (count === 1) await emitUserEvent(tx, "user.deleted", userId, { userId, deletedAt: new Date().toISOString() });
    return count === 1;
  });
  if (!deleted) return null;
  logAction(deps, "user deleted", { userId, ...by });
  return { id: userId, deleted: true };
}
