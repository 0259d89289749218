import { USER_SEARCH_MAX_LENGTH, userSearchProblem } from "@userstream/contracts";
import type { Metadata } from "next";
import { nextUsersPageParam, usersListInput } from "~/lib/users-list-input";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { UsersDirectory } from "./users-directory";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const initialSearch = typeof q === "string" ? q.slice(0, USER_SEARCH_MAX_LENGTH) : "";
  // Rendered on the server with the first page already loaded; the client takes over from there.
  // A search that would be refused is not asked for: the page shows why instead.
  if (!userSearchProblem(initialSearch)) {
    await prefetch(trpc.users.list.infiniteQueryOptions(usersListInput(initialSearch), { getNextPageParam: nextUsersPageParam }));
  }
  return (
    <HydrateClient>
      <h1>Users</h1>
      <p className="muted">Everyone who registered, by name. Email addresses are shown partly hidden.</p>
      <UsersDirectory initialSearch={initialSearch} />
    </HydrateClient>
  );
}
