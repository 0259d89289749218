"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { UserListItem } from "@userstream/contracts";
import { useState } from "react";
import { SelectField } from "~/app/components/select-field";
import { useSettingsInAddress } from "~/lib/use-debounced-value";
import { retryUnlessRefused, useUserSearch } from "~/lib/use-user-search";
import { USER_SORT_LABELS, nextUsersPageParam, usersListInput, type UserSortOption } from "~/lib/users-list-input";
import { useTRPC } from "~/trpc/react";
import { LoadError, SESSION_ENDED_MESSAGE } from "../../components/admin-messages";
import { ConfirmDialog, useConfirmation } from "../../components/modal-dialog";
import { RowButton } from "../../components/row-button";
import { UserSearchBox, UsersListFooter, UsersTotal } from "../../../users/users-list-parts";
import { UsersTable } from "../../../users/users-table";
import { EditUserDialog } from "./edit-user-dialog";

/** Search, order, the users in keyset pages ("Load more"), and per user Edit and Delete. */
export function AdminUsers({ initialSearch, initialSort }: { initialSearch: string; initialSort: UserSortOption }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { search, setSearch, debouncedSearch, problem } = useUserSearch(initialSearch);
  const [sort, setSort] = useState<UserSortOption>(initialSort);
  const [editing, setEditing] = useState<UserListItem | null>(null);
  const {
    target: deleting,
    error: deleteError,
    setError: setDeleteError,
    ask: askToDelete,
    close: closeDelete,
  } = useConfirmation<UserListItem>();
  const [announcement, setAnnouncement] = useState("");
  useSettingsInAddress({ q: debouncedSearch, sort: sort === "created_desc" ? "" : sort });

  const users = useInfiniteQuery(
    trpc.adminUsers.list.infiniteQueryOptions(usersListInput(debouncedSearch, sort), {
      getNextPageParam: nextUsersPageParam,
      placeholderData: keepPreviousData,
      enabled: !problem,
      retry: retryUnlessRefused,
    }),
  );
  const refresh = () => queryClient.invalidateQueries(trpc.adminUsers.list.pathFilter());

  const remove = useMutation(
    trpc.adminUsers.delete.mutationOptions({
      onSuccess: () => {
        setAnnouncement(`Deleted ${deleting ? `${deleting.firstName} ${deleting.lastName}` : "the user"}.`);
        closeDelete();
        void refresh();
      },
      onError: (error) => {
        const code = error.data?.code;
        setDeleteError(
          code === "UNAUTHORIZED"
            ? SESSION_ENDED_MESSAGE
            : code === "NOT_FOUND"
              ? "This user no longer exists."
              : "The user could not be deleted. Please try again.",
        );
        if (code === "NOT_FOUND") void refresh();
      },
    }),
  );

  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const total = users.data?.pages[0];

  return (
    <>
      <div className="list-controls">
        <UserSearchBox
          id="admin-user-search"
          label="Search by name or email"
          value={search}
          error={problem}
          onChange={setSearch}
        />
        <SelectField
          id="admin-user-sort"
          label="Order"
          options={USER_SORT_LABELS}
          value={sort}
          onChange={(event) => setSort(event.target.value as UserSortOption)}
        />
      </div>

      <p className="notice-line" aria-live="polite">
        {announcement}
      </p>

      {/* A search too short to run shows its message under the box instead of a list. */}
      {problem ? null : (
        <>
          <UsersTotal total={total} />

          <LoadError error={users.error} what="users" />

          {total?.total === 0 ? (
            <p className="muted">{debouncedSearch ? <>No users match “{debouncedSearch}”.</> : "No users yet."}</p>
          ) : items.length > 0 ? (
            <UsersTable
              users={items}
              actions={(user) => (
                <>
                  <RowButton label="Edit" name={user.email} onClick={() => setEditing(user)} />
                  <RowButton label="Delete" name={user.email} danger onClick={() => askToDelete(user)} />
                </>
              )}
            />
          ) : null}

          <UsersListFooter shown={items.length} total={total} pages={users} />
        </>
      )}

      {editing ? (
        <EditUserDialog
          user={editing}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setAnnouncement(`Saved ${user.firstName} ${user.lastName}.`);
            setEditing(null);
            void refresh();
          }}
        />
      ) : null}

      {deleting ? (
        <ConfirmDialog
          title="Delete this user?"
          confirmLabel="Delete user"
          pending={remove.isPending}
          error={deleteError}
          onConfirm={() => remove.mutate({ id: deleting.id })}
          onClose={closeDelete}
        >
          <p>
            <strong>
              {deleting.firstName} {deleting.lastName}
            </strong>{" "}
            ({deleting.email}) will be removed: their name and email are deleted, and their email delivery records are kept
            without anything that identifies them. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
