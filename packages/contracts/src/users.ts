import { z } from "zod";
import { UserUpdateSchema } from "./registration";

/**
 * The users list as other processes see it: the public directory (`users.list`, anyone, no full
 * email), and the full list for signed-in admins (`adminUsers.list`) and API keys
 * (`GET /api/v1/users`).
 */

export const USER_SEARCH_MAX_LENGTH = 100;

/**
 * Shortest search word: the pg_trgm indexes that serve the search find a substring by its
 * three-character pieces, so a shorter word would read every row.
 */
export const USER_SEARCH_MIN_WORD_LENGTH = 3;

export const SEARCH_WORD_TOO_SHORT_MESSAGE = `Type at least ${USER_SEARCH_MIN_WORD_LENGTH} characters of each word you search for`;

/** The words of a search, as the list matches them (white space separates them). */
export function userSearchWords(search: string): string[] {
  return search.trim().split(/\s+/u).filter(Boolean);
}

/** A users list search (optional): trimmed, at most 100 characters, every word at least 3 characters (or empty). */
export const UserSearchSchema = z
  .string()
  .trim()
  .max(USER_SEARCH_MAX_LENGTH, `Search must be at most ${USER_SEARCH_MAX_LENGTH} characters`)
  // Counted in code points, as PostgreSQL counts characters.
  .refine(
    (search) => userSearchWords(search).every((word) => [...word].length >= USER_SEARCH_MIN_WORD_LENGTH),
    SEARCH_WORD_TOO_SHORT_MESSAGE,
  )
  .meta({
    description:
      `Words separated by spaces; each must appear, case-insensitively, in the user's names (or, in the full list, email). ` +
      `Every word needs at least ${USER_SEARCH_MIN_WORD_LENGTH} characters; a shorter one is refused with 400.`,
  })
  .optional();

/** The longest address a user can have (`users.email` is `varchar(254)`), so the longest prefix of one. */
export const USER_EMAIL_PREFIX_MAX_LENGTH = 254;

/**
 * The beginning of an address (full list only, optional): trimmed and lower-cased, as addresses
 * are stored. Unlike a search word, it matches only at the start of the address, so a B-tree
 * serves it however common its first letters are; empty means no filter.
 */
export const UserEmailPrefixSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(USER_EMAIL_PREFIX_MAX_LENGTH, `An email prefix must be at most ${USER_EMAIL_PREFIX_MAX_LENGTH} characters`)
  .meta({
    description:
      "Only users whose email begins with this, case-insensitively (`%` and `_` are plain characters). " +
      "Combines with `search`: both must match.",
  })
  .optional();

/** What is wrong with a search box's text, or undefined when it can be searched for (the same check the server makes). */
export function userSearchProblem(search: string): string | undefined {
  const result = UserSearchSchema.safeParse(search);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/**
 * The orders the list offers (`sort`), newest first by default. The public directory offers all
 * but the email orders, whose cursor would carry the last row's address (and whose order would
 * tell addresses apart).
 */
export const UserSortSchema = z.enum([
  "created_desc",
  "created_asc",
  "last_name_asc",
  "last_name_desc",
  "email_asc",
  "email_desc",
]);
export type UserSort = z.infer<typeof UserSortSchema>;
export const PublicUserSortSchema = UserSortSchema.exclude(["email_asc", "email_desc"]);
export type PublicUserSort = z.infer<typeof PublicUserSortSchema>;

export const USERS_PAGE_DEFAULT = 20;
export const USERS_PAGE_MAX = 100;

/** What both lists take besides their order: search, the cursor a page returned, and the page size. */
const LIST_QUERY_FIELDS = {
  search: UserSearchSchema,
  cursor: z.string().max(1000).nullish(),
  limit: z.number().int().min(1).max(USERS_PAGE_MAX).default(USERS_PAGE_DEFAULT),
};

/**
 * Query of the full list (admins, `GET /api/v1/users`): also by the beginning of the address. The
 * server also checks that a cursor is one it made for this order.
 */
export const UserListQuerySchema = z.object({
  ...LIST_QUERY_FIELDS,
  emailPrefix: UserEmailPrefixSchema,
  sort: UserSortSchema.default("created_desc"),
});
/** Query of the public directory (`users.list`): the same, without the email orders and the email prefix. */
export const PublicUserListQuerySchema = z.object({ ...LIST_QUERY_FIELDS, sort: PublicUserSortSchema.default("created_desc") });

export const UserIdSchema = z.uuid("User id must be a UUID");
/** `{ id }`: one user (`GET`/`DELETE /api/v1/users/{id}`). */
export const UserIdInputSchema = z.object({ id: UserIdSchema });

/** `{ id, firstName?, lastName? }`: the user and the names to change, at least one (`PATCH /api/v1/users/{id}`). */
export const UpdateUserInputSchema = UserUpdateSchema.extend({ id: UserIdSchema }).refine(
  (input) => input.firstName !== undefined || input.lastName !== undefined,
  "Send firstName, lastName or both",
);
export type UpdateUserInput = z.output<typeof UpdateUserInputSchema>;

/** The answer to a delete. */
export const DeletedUserSchema = z.object({ id: z.uuid(), deleted: z.literal(true) });
export type DeletedUser = z.infer<typeof DeletedUserSchema>;

/** A user as a list shows them, with `address` (the email, or its masked form) between the names and the rest. */
function listedUserSchema<A extends z.ZodRawShape>(address: A) {
  return z.object({
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    ...address,
    emailVerified: z.boolean(),
    createdAt: z.iso.datetime(),
  });
}

/**
 * One page of a list: keyset pages, `nextCursor` null on the last one; `total` counts every match,
 * exactly unless `totalIsEstimate` (counting millions of rows on every page would take longer than
 * the page).
 */
function listPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z
      .number()
      .int()
      .meta({ description: "Every user the search matches (every user without one), not only this page's." }),
    totalIsEstimate: z.boolean().meta({
      description:
        "True when `total` is PostgreSQL's estimate rather than a count: the list without a search beyond 100,000 " +
        "users, or a search that matches a large share of them (whose page is found by walking the list in order, " +
        'without reading every match). Show it as "about".',
    }),
  });
}

/** One user with everything stored about them that the list shows: for admins and API keys only. */
export const UserListItemSchema = listedUserSchema({ email: z.string() });
export type UserListItem = z.infer<typeof UserListItemSchema>;

export const UserListPageSchema = listPageSchema(UserListItemSchema);
export type UserListPage = z.infer<typeof UserListPageSchema>;

/**
 * One user as anyone may see them: names and a masked address ({@link maskEmail}), never the
 * email itself, under any field name.
 */
export const PublicUserListItemSchema = listedUserSchema({ maskedEmail: z.string() });
export type PublicUserListItem = z.infer<typeof PublicUserListItemSchema>;

export const PublicUserListPageSchema = listPageSchema(PublicUserListItemSchema);
export type PublicUserListPage = z.infer<typeof PublicUserListPageSchema>;

const HIDDEN = "•••";

/**
 * An address as the public directory shows it: the first character of the local part, the first
 * character of the domain and its last label (`ada.lovelace@analytical.example` →
 * `a•••@a•••.example`). The hidden parts always read `•••`, so not even their length shows.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, Math.max(at, 0));
  const domain = at >= 0 ? email.slice(at + 1) : "";
  const lastLabel = domain.includes(".") ? domain.slice(domain.lastIndexOf(".")) : "";
  return `${[...local][0] ?? ""}${HIDDEN}@${[...domain][0] ?? ""}${HIDDEN}${lastLabel}`;
}
