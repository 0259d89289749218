import type { Metadata } from "next";
import { isUserSortOption, nextUsersPageParam, usersListInput } from "~/lib/users-list-input";
import { trpc } from "~/trpc/server";
import { PrefetchedAdminPage } from "../../components/prefetched-admin-page";
import { AdminUsers } from "./admin-users";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[]; sort?: string | string[] }>;
}) {
  const { q, sort } = await searchParams;
  const initialSearch = typeof q === "string" ? q.slice(0, 100) : "";
  const initialSort = isUserSortOption(sort) ? sort : "created_desc";
  const list = trpc.adminUsers.list.infiniteQueryOptions(usersListInput(initialSearch, initialSort), {
    getNextPageParam: nextUsersPageParam,
  });
  return (
    <PrefetchedAdminPage title="Users" queries={[list]}>
      <AdminUsers initialSearch={initialSearch} initialSort={initialSort} />
    </PrefetchedAdminPage>
  );
}
