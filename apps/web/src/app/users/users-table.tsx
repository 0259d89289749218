import type { PublicUserListItem, UserListItem } from "@userstream/contracts";
import { DataTable } from "~/app/components/data-table";

const USER_COLUMNS = ["Name", "Email", "Verified", "Registered at"];

// A fixed locale and time zone, so the server-rendered HTML and the browser's render agree.
const registeredAt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A user of the public directory (masked address) or of the admin's list (the address itself). */
type ListedUser = PublicUserListItem | UserListItem;

/**
 * The users, in the order given. `actions` adds a last column (the admin page's Edit and Delete).
 * React escapes every value, so a name holding markup shows as text.
 */
export function UsersTable<T extends ListedUser>({ users, actions }: { users: T[]; actions?: (user: T) => React.ReactNode }) {
  return (
    <DataTable caption="Registered users" columns={[...USER_COLUMNS, Boolean(actions) && "Actions"]}>
      {users.map((user) => (
        <tr key={user.id} data-testid="user-row">
          <td>
            {user.firstName} {user.lastName}
          </td>
          <td>{"email" in user ? user.email : user.maskedEmail}</td>
          <td>
            {user.emailVerified ? (
              <span className="verified">
                <span aria-hidden="true">✓ </span>Verified
              </span>
            ) : (
              <span className="muted">Not verified</span>
            )}
          </td>
          <td>
            <time dateTime={user.createdAt}>{registeredAt.format(new Date(user.createdAt))} UTC</time>
          </td>
          {actions ? (
            <td>
              <span className="row-actions">{actions(user)}</span>
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}
