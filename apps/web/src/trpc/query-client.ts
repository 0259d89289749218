import { QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/** One QueryClient per request on the server, one per tab in the browser. */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh for a moment, so the client does not refetch it at once.
        staleTime: 30 * 1000,
      },
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
