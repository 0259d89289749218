import type { ReactNode } from "react";
import Link from "next/link";

/** What an admin page says when a call is refused because the session has ended (expired, signed out elsewhere). */
export const SESSION_ENDED_MESSAGE = "Your admin session has ended. Sign in again.";

/** Why a list on an admin page did not load: the session ended (with a way back), or anything else. */
export function LoadError({ error, what }: { error: { data?: { code?: string } | null } | null; what: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="alert">
      {error.data?.code === "UNAUTHORIZED" ? (
        <>
          Your admin session has ended. <Link href="/admin/login">Sign in again.</Link>
        </>
      ) : (
        `We could not load the ${what} right now. Please try again.`
      )}
    </p>
  );
}

/**
 * A list on an admin page as it loads: why it did not load, `empty` when it has no rows, else what
 * `children` makes of the rows (usually a table).
 */
export function LoadedList<Row>({
  list,
  what,
  empty,
  children,
}: {
  list: { data?: readonly Row[]; error: { data?: { code?: string } | null } | null };
  what: string;
  empty: string;
  children: (rows: readonly Row[]) => ReactNode;
}) {
  return (
    <>
      <LoadError error={list.error} what={what} />
      {list.data?.length === 0 ? <p className="muted">{empty}</p> : null}
      {list.data && list.data.length > 0 ? children(list.data) : null}
    </>
  );
}
