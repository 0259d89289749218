"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "~/app/components/form-messages";
import { useSettingsInAddress } from "~/lib/use-debounced-value";
import { retryUnlessRefused, useUserSearch } from "~/lib/use-user-search";
import { nextUsersPageParam, usersListInput } from "~/lib/users-list-input";
import { useTRPC } from "~/trpc/react";
import { UserSearchBox, UsersListFooter, UsersTotal } from "./users-list-parts";
import { UsersTable } from "./users-table";

/**
 * Search box (names only), the users table newest first with masked addresses, the total and
 * "Load more" (keyset cursor pages).
 */
export function UsersDirectory({ initialSearch }: { initialSearch: string }) {
  const trpc = useTRPC();
  const { search, setSearch, debouncedSearch, problem } = useUserSearch(initialSearch);

  useSettingsInAddress({ q: debouncedSearch });

  const users = useInfiniteQuery(
    trpc.users.list.infiniteQueryOptions(usersListInput(debouncedSearch), {
      getNextPageParam: nextUsersPageParam,
      // While a new search loads, keep showing the previous results instead of an empty table.
      placeholderData: keepPreviousData,
      enabled: !problem,
      retry: retryUnlessRefused,
    }),
  );

  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const total = users.data?.pages[0];

  return (
    <>
      <UserSearchBox id="user-search" label="Search by name" value={search} error={problem} onChange={setSearch} />

      {problem ? null : (
        <>
          <UsersTotal total={total} />

          {users.isError ? (
            <Alert
              message={
                users.error.data?.code === "TOO_MANY_REQUESTS"
                  ? users.error.message
                  : "We could not load the users right now. Please try again."
              }
            />
          ) : null}

          {total?.total === 0 ? (
            <p className="muted" data-testid="users-empty">
              {debouncedSearch ? (
                <>No users match “{debouncedSearch}”.</>
              ) : (
                <>
                  No users yet. <Link href="/">Register the first one.</Link>
                </>
              )}
            </p>
          ) : items.length > 0 ? (
            <UsersTable users={items} />
          ) : null}

          <UsersListFooter shown={items.length} total={total} pages={users} />
        </>
      )}
    </>
  );
}
