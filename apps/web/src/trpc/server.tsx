import "server-only";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { appRouter, createCaller, type AppRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/context";
import { createQueryClient } from "./query-client";

// `cache` scopes both to one server request.
const createContext = cache(async () => {
  const heads = new Headers(await headers());
  heads.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: heads });
});
const getQueryClient = cache(createQueryClient);

/** Query options for server components: calls procedures in-process, no HTTP round trip. */
export const trpc = createTRPCOptionsProxy<AppRouter>({
  router: appRouter,
  ctx: createContext,
  queryClient: getQueryClient,
});

/**
 * Runs a query on the server; its result reaches the client inside `HydrateClient`. Await it
 * when a client component reads the query with `useQuery`/`useInfiniteQuery` (not the suspense
 * hooks): the server then renders the data, and the browser hydrates the same markup. (A failed
 * query is not sent, so both sides render the loading state and the browser retries.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): Promise<void> {
  const queryClient = getQueryClient();
  if (queryOptions.queryKey[1]?.type === "infinite") {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await queryClient.prefetchInfiniteQuery(queryOptions as any);
  } else {
    await queryClient.prefetchQuery(queryOptions);
  }
}

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** Calls procedures in-process for a server component that renders their result itself (no client query). */
export const serverCaller = cache(async () => createCaller(await createContext()));
