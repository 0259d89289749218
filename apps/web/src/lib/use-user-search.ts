"use client";

import { userSearchProblem } from "@userstream/contracts";
import { useState } from "react";
import { useDebouncedValue } from "./use-debounced-value";

const SEARCH_DEBOUNCE_MS = 300;

/**
 * A users list's search box: what is typed, what the list searches for once typing pauses, and
 * why that cannot be searched for (a word under 3 characters), checked here with the server's
 * own rule so the list does not ask for what the server would refuse.
 */
export function useUserSearch(initialSearch: string) {
  const [search, setSearch] = useState(initialSearch);
  const debouncedSearch = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  return { search, setSearch, debouncedSearch, problem: userSearchProblem(debouncedSearch) };
}

/** React Query's `retry` for a list: a refusal (rate limit, invalid input, no session) is not tried again. */
export function retryUnlessRefused(failureCount: number, error: { data?: { httpStatus?: number } | null }): boolean {
  const status = error.data?.httpStatus ?? 500;
  return status >= 500 && failureCount < 3;
}
