/* The parts the public users directory and the admin's users page share. */
import { USER_SEARCH_MAX_LENGTH } from "@userstream/contracts";
import { FieldError, invalidWhen } from "~/app/components/form-messages";

/** A list's total as its first page gave it: a count, or PostgreSQL's estimate (a million users are not counted). */
export type ListTotal = { total: number; totalIsEstimate: boolean } | undefined;

/** "7", or "about 98,000" for an estimate (to two significant digits: the estimate is no more precise). */
export function describeTotal({ total, totalIsEstimate }: NonNullable<ListTotal>): string {
  if (!totalIsEstimate) return String(total);
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(total, 1))) - 1);
  return `about ${(Math.round(total / unit) * unit).toLocaleString("en")}`;
}

/** "Load more" (the next keyset page) while there is one, and how many of the matching users are shown. */
export function UsersListFooter({
  shown,
  total,
  pages: { hasNextPage, isFetchingNextPage, fetchNextPage },
}: {
  shown: number;
  total: ListTotal;
  /** The infinite query's paging state. */
  pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  return (
    <div className="list-footer">
      {hasNextPage ? (
        <button type="button" className="button secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
      {total !== undefined && shown > 0 ? (
        <span className="muted">
          Showing {shown} of {describeTotal(total)}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The search box of a users list; the list follows what is typed (debounced by the caller).
 * `error` (a word too short to search for) shows under it, tied to the box for screen readers.
 */
export function UserSearchBox({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const errorId = `${id}-error`;
  return (
    <div className="search" role="search">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={value}
        maxLength={USER_SEARCH_MAX_LENGTH}
        autoComplete="off"
        {...invalidWhen(error, errorId)}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError id={errorId} error={error} />
    </div>
  );
}

/** "3 users" (or "about 98,000 users"), announced when it changes. */
export function UsersTotal({ total }: { total: ListTotal }) {
  return (
    <p aria-live="polite" data-testid="users-total">
      {total === undefined
        ? "Loading users…"
        : `${describeTotal(total)} ${total.total === 1 && !total.totalIsEstimate ? "user" : "users"}`}
    </p>
  );
}
