import { requireAdminSession } from "~/server/auth/admin-session";
import { HydrateClient, prefetch } from "~/trpc/server";

/**
 * An admin page whose client part reads tRPC queries: checks the session first (none: off to the
 * sign-in page; the layout's check does not run again on a client-side navigation), runs `queries`
 * on the server so that the page renders with their data, and hands them to `children` under the
 * page's heading.
 */
export async function PrefetchedAdminPage({
  title,
  queries,
  children,
}: {
  title: string;
  queries: Parameters<typeof prefetch>[0][];
  children: React.ReactNode;
}) {
  await requireAdminSession();
  await Promise.all(queries.map((query) => prefetch(query)));
  return (
    <HydrateClient>
      <h1>{title}</h1>
      {children}
    </HydrateClient>
  );
}
