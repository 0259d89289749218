import type { PublicUserListItem, UserListItem } from "@userstream/contracts";

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
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Registered users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Verified</th>
            <th scope="col">Registered at</th>
            {actions ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}
