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

/**
 * One page of users, newest first. Keyset pagination on (createdAt desc, id desc): the next page
 * starts strictly after the last row returned, so pages never overlap or skip rows even while
 * users are being added, and deep pages cost the same as the first (no OFFSET).
 *
 * Search is a case-insensitive substring match on first name, last name or email. Prisma compiles
 * `contains` + `mode: "insensitive"` to ILIKE, which the pg_trgm GIN indexes serve.
 * `total` counts every user matching the search, not just this page; without a search, beyond
 * {@link EXACT_TOTAL_LIMIT} users it is an estimate.
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
  // Rows strictly after the cursor in (createdAt desc, id desc). Written with `createdAt <= c` on
  // its own, so that PostgreSQL starts the index scan at the cursor instead of filtering every
  // row before it: a page 10,000 rows deep then costs what the first page costs.
  const afterCursor = after
    ? {
        AND: [
          { createdAt: { lte: after.createdAt } },
          { OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] },
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
    fragment ? db.user.count({ where: matches }) : countAllUsers(db),
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
