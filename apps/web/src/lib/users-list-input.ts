import type { UserSort } from "@userstream/contracts";

/** Users shown per page on /users. */
const USERS_PAGE_SIZE = 20;

/** The orders the admin's users page offers, with their labels; the first is the default. */
export const USER_SORT_LABELS = {
  created_desc: "Newest first",
  created_asc: "Oldest first",
  last_name_asc: "Last name A–Z",
  last_name_desc: "Last name Z–A",
  email_asc: "Email A–Z",
  email_desc: "Email Z–A",
} as const satisfies Record<UserSort, string>;
export type UserSortOption = keyof typeof USER_SORT_LABELS;

export function isUserSortOption(value: unknown): value is UserSortOption {
  return typeof value === "string" && Object.hasOwn(USER_SORT_LABELS, value);
}

/**
 * The users list input for a search box value and an order. Server prefetch and browser query
 * build it the same way, so their query keys match and the prefetched page is reused.
 */
export function usersListInput<S extends UserSortOption = "created_desc">(
  search: string,
  sort?: S,
): { search?: string; sort?: S; limit: number } {
  const trimmed = search.trim();
  return {
    ...(trimmed ? { search: trimmed } : {}),
    ...(sort && sort !== "created_desc" ? { sort } : {}),
    limit: USERS_PAGE_SIZE,
  };
}

/** The next page starts at the cursor the last page returned; none means the end. */
export function nextUsersPageParam(lastPage: { nextCursor: string | null }): string | undefined {
  return lastPage.nextCursor ?? undefined;
}
