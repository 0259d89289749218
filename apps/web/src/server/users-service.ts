import {
  PublicUserListQuerySchema,
  UpdateUserInputSchema,
  UserIdSchema,
  UserListQuerySchema,
  UserUpdateSchema,
  maskEmail,
  type DeletedUser,
  type PublicUserListItem,
  type PublicUserListPage,
  type UpdateUserInput,
  type UserListItem,
  type UserListPage,
  type UserSort,
} from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { z } from "zod";
import { logAction, type AuditDeps } from "./audit-log";
import { emitUserEvent } from "./webhooks/webhook-events";
import { isUserCursor } from "./user-cursor";
import { queryPage, type ListDb, type UserRow } from "./users-list-query";

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

export interface ListUsersDeps {
  db: ListDb;
}

const USER_FIELDS = { id: true, firstName: true, lastName: true, email: true, emailVerifiedAt: true, createdAt: true } as const;

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

/** A page of the full list, for signed-in admins and API keys: emails included, searched by name or email. */
export async function listUsers(input: ListUsersInput, { db }: ListUsersDeps): Promise<UserListPage> {
  const { rows, ...page } = await queryPage(ListUsersInputSchema.parse(input), "names and email", db);
  return { items: rows.map(toUserListItem), ...page };
}

/**
 * A page of the public directory, for anyone: names and masked addresses only (`maskEmail`),
 * searched by name only, never ordered by email.
 */
export async function listPublicUsers(input: ListPublicUsersInput, { db }: ListUsersDeps): Promise<PublicUserListPage> {
  const { rows, ...page } = await queryPage(ListPublicUsersInputSchema.parse(input), "names", db);
  return { items: rows.map(toPublicUserListItem), ...page };
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
