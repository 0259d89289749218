/** Users shown per page on /users. */
export const USERS_PAGE_SIZE = 20;

/**
 * The `users.list` input for a search box value. Server prefetch and browser query build it the
 * same way, so their query keys match and the prefetched page is reused.
 */
export function usersListInput(search: string): { search?: string; limit: number } {
  const trimmed = search.trim();
  return trimmed ? { search: trimmed, limit: USERS_PAGE_SIZE } : { limit: USERS_PAGE_SIZE };
}

/** The next page starts at the cursor the last page returned; none means the end. */
export function nextUsersPageParam(lastPage: { nextCursor: string | null }): string | undefined {
  return lastPage.nextCursor ?? undefined;
}
