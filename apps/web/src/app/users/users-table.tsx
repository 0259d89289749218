import type { UserListItem } from "~/server/users-service";

// A fixed locale and time zone, so the server-rendered HTML and the browser's render agree.
const registeredAt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * The users, in the order given. `actions` adds a last column (the admin page's Edit and Delete).
 * React escapes every value, so a name holding markup shows as text.
 */
export function UsersTable({ users, actions }: { users: UserListItem[]; actions?: (user: UserListItem) => React.ReactNode }) {
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
              <td>{user.email}</td>
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
