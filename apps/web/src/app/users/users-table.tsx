import type { UserListItem } from "~/server/users-service";

// A fixed locale and time zone, so the server-rendered HTML and the browser's render agree.
const registeredAt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function UsersTable({ users }: { users: UserListItem[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Registered users, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Verified</th>
            <th scope="col">Registered at</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
