import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { pgConfigFromUrl } from "./pg-config";

/** One of the two roles of `sql/roles.sql`, by the name and password a deployment gives it. */
export interface DatabaseRole {
  name: string;
  /** Set as the role's password when given; left as it is otherwise (trust or certificate login). */
  password?: string;
}

/** The roles `sql/roles.sql` creates: the schema's owner (migrations) and the services' row-only role. */
export interface DatabaseRoles {
  migrator: DatabaseRole;
  app: DatabaseRole;
}

const ROLES_SQL = fileURLToPath(new URL("../sql/roles.sql", import.meta.url));
/** Plain lower-case names: the script's names are replaced as words, inside string literals too. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The role and password a postgresql:// URL logs in with. */
export function roleFromUrl(url: string, what: string): DatabaseRole {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  if (!name) throw new Error(`${what} names no user: it must log in as the role it stands for`);
  return { name, ...(password ? { password } : {}) };
}

/** `sql/roles.sql` with its two role names replaced by `roles`' (the same script under other names, as tests need). */
export function rolesScript(roles: DatabaseRoles): string {
  for (const [what, role] of Object.entries(roles) as [string, DatabaseRole][]) {
    if (!ROLE_NAME.test(role.name))
      throw new Error(`The ${what} role's name must be lower-case letters, digits and _: ${role.name}`);
  }
  if (roles.migrator.name === roles.app.name)
    throw new Error(`The migration role and the app role must differ (both ${roles.app.name})`);
  return readFileSync(ROLES_SQL, "utf8")
    .replace(/\buserstream_migrator\b/g, roles.migrator.name)
    .replace(/\buserstream_app\b/g, roles.app.name);
}

/**
 * Runs `sql/roles.sql` (under `roles`' names) in the database `adminUrl` names, as that URL's
 * superuser, then sets each role's password when one is given. Safe to repeat: a new password
 * replaces the old one, which is how the app role's password is rotated.
 */
export async function applyDatabaseRoles(adminUrl: string, roles: DatabaseRoles): Promise<void> {
  const script = rolesScript(roles);
  const client = new pg.Client(pgConfigFromUrl(adminUrl));
  await client.connect();
  try {
    await client.query(script);
    for (const role of [roles.migrator, roles.app]) {
      // ALTER ROLE takes no bind parameters: the password is sent as a quoted literal, hashed (SCRAM) by the server.
      if (role.password)
        await client.query(`ALTER ROLE ${client.escapeIdentifier(role.name)} PASSWORD ${client.escapeLiteral(role.password)}`);
    }
  } finally {
    await client.end();
  }
}
