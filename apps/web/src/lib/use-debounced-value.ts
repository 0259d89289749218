"use client";

import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `delayMs` (a search box's text, say). */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/**
 * Keeps list settings (`q`, `sort`) in the address, so they survive a reload and can be shared;
 * empty values are left out. The history API (not router.replace) avoids a server round trip for
 * every keystroke pause.
 */
export function useSettingsInAddress(settings: Record<string, string>): void {
  const serialised = JSON.stringify(settings);
  useEffect(() => {
    const url = new URL(window.location.href);
    for (const [name, value] of Object.entries(JSON.parse(serialised) as Record<string, string>)) {
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    if (url.href !== window.location.href) window.history.replaceState(null, "", url);
  }, [serialised]);
}
