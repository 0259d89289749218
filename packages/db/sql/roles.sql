-- Least-privilege PostgreSQL roles for UserStream (see docs/architecture.md, "Database roles").
--
--   userstream_migrator  owns the schema and every table, type and function in it; only
--                        `pnpm db:migrate` (prisma migrate deploy) connects as it.
--   userstream_app       what the web and the workers connect as: reads and writes rows, and
--                        nothing else (no CREATE, ALTER, DROP or TRUNCATE; no schema changes).
--
-- Run it once, as a superuser, in the application's database before its first migration:
--   psql -v ON_ERROR_STOP=1 -h <host> -U postgres -d userstream -f packages/db/sql/roles.sql
-- then give each role a password (`\password userstream_migrator`, `\password userstream_app`) and
-- set DATABASE_URL to the app role for the services and to the migrator for `pnpm db:migrate`.
-- Roles belong to the whole server: on a server with several UserStream databases, create them
-- once and repeat the rest for each database.

CREATE ROLE userstream_migrator LOGIN;
CREATE ROLE userstream_app LOGIN;

-- This database: both may connect; only the migrator may create (the pg_trgm extension, which is
-- trusted, needs CREATE on the database). Nobody else may connect.
DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO userstream_app', current_database());
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO userstream_migrator', current_database());
END
$$;

-- The schema belongs to the migrator; the app may only use what is in it.
ALTER SCHEMA public OWNER TO userstream_migrator;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO userstream_app;

-- Everything the migrator creates from now on: rows readable and writable by the app.
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT EXECUTE ON FUNCTIONS TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT USAGE ON TYPES TO userstream_app;
