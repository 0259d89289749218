import type { PrismaClient } from "@userstream/db";
import { z } from "zod";
import { decodeUserCursor, encodeUserCursor, isUserCursor } from "./user-cursor";

export const USERS_PAGE_DEFAULT = 20;
export const USERS_PAGE_MAX = 100;

/** Query of the users list; also the tRPC/REST input (strings in a query string are coerced). */
export const ListUsersInputSchema = z.object({
  search: z.string().trim().max(100, "Search must be at most 100 characters").optional(),
  // Checked here, so that a forged cursor is a 400 with a field error rather than a server error.
  cursor: z.string().max(200).refine(isUserCursor, "The cursor is not valid; start again from the first page.").nullish(),
  limit: z.number().int().min(1).max(USERS_PAGE_MAX).default(USERS_PAGE_DEFAULT),
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
  db: Pick<PrismaClient, "user">;
}

/**
 * One page of users, newest first. Keyset pagination on (createdAt desc, id desc): the next page
 * starts strictly after the last row returned, so pages never overlap or skip rows even while
 * users are being added, and deep pages cost the same as the first (no OFFSET).
 *
 * Search is a case-insensitive substring match on first name, last name or email. Prisma compiles
 * `contains` + `mode: "insensitive"` to ILIKE, which the pg_trgm GIN indexes serve.
 * `total` counts every user matching the search, not just this page.
 */
export async function listUsers(input: ListUsersInput, { db }: ListUsersDeps): Promise<UserListPage> {
  const { search, cursor, limit } = ListUsersInputSchema.parse(input);
  const fragment = search ? escapeLikePattern(search) : undefined;
  const matches = fragment
    ? {
        OR: [
          { firstName: { contains: fragment, mode: "insensitive" as const } },
          { lastName: { contains: fragment, mode: "insensitive" as const } },
          { email: { contains: fragment, mode: "insensitive" as const } },
        ],
      }
    : {};
  const after = cursor ? decodeUserCursor(cursor) : undefined;
  const afterCursor = after
    ? {
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: after.createdAt, id: { lt: after.id } },
        ],
      }
    : {};

  const [rows, total] = await Promise.all([
    db.user.findMany({
      where: { AND: [matches, afterCursor] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      // One extra row tells whether another page exists without a second query.
      take: limit + 1,
      select: { id: true, firstName: true, lastName: true, email: true, emailVerifiedAt: true, createdAt: true },
    }),
    db.user.count({ where: matches }),
  ]);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((user) => ({
      id: user.id,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      createdAt: user.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeUserCursor({ createdAt: last.createdAt, id: last.id }) : null,
    total,
  };
}
