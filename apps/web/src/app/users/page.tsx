import type { Metadata } from "next";
import { nextUsersPageParam, usersListInput } from "~/lib/users-list-input";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { UsersDirectory } from "./users-directory";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const initialSearch = typeof q === "string" ? q.slice(0, 100) : "";
  // Rendered on the server with the first page already loaded; the client takes over from there.
  await prefetch(
    trpc.users.list.infiniteQueryOptions(usersListInput(initialSearch), { getNextPageParam: nextUsersPageParam }),
  );
  return (
    <HydrateClient>
      <h1>Users</h1>
      <UsersDirectory initialSearch={initialSearch} />
    </HydrateClient>
  );
}
