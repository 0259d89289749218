import type { Metadata } from "next";
import { isUserSortOption, nextUsersPageParam, usersListInput } from "~/lib/users-list-input";
import { requireAdminSession } from "~/server/auth/admin-session";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { AdminUsers } from "./admin-users";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[]; sort?: string | string[] }> }) {
  await requireAdminSession();
  const { q, sort } = await searchParams;
  const initialSearch = typeof q === "string" ? q.slice(0, 100) : "";
  const initialSort = isUserSortOption(sort) ? sort : "created_desc";
  await prefetch(
    trpc.adminUsers.list.infiniteQueryOptions(usersListInput(initialSearch, initialSort), { getNextPageParam: nextUsersPageParam }),
  );
  return (
    <HydrateClient>
      <h1>Users</h1>
      <AdminUsers initialSearch={initialSearch} initialSort={initialSort} />
    </HydrateClient>
  );
}
