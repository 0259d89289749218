-- Least-privilege PostgreSQL roles for UserStream (see docs/architecture.md, "Database roles").
--
--   userstream_migrator  owns the schema and every table, type and function in it; only
--                        `pnpm db:migrate` (prisma migrate deploy) connects as it.
--   userstream_app       what the web and the workers connect as: reads and writes rows, and
--                        nothing else (no CREATE, ALTER, DROP or TRUNCATE; no schema changes).
--
-- Run it as a superuser in the application's database before its first migration:
--   psql -v ON_ERROR_STOP=1 -h <host> -U postgres -d userstream -f packages/db/sql/roles.sql
-- then give each role a password (`\password userstream_migrator`, `\password userstream_app`) and
-- set DATABASE_URL to the app role for the services and to the migrator for `pnpm db:migrate`.
-- `pnpm db:migrate` does all of it when given DATABASE_ADMIN_URL and DATABASE_APP_URL (the compose
-- files' `migrate` service: docs/operations.md, "Database roles").
--
-- It can be run again at any time: it creates what is missing and hands the migrator whatever a
-- superuser created in the schema before (a database migrated before the roles existed).
-- Roles belong to the whole server: on a server with several UserStream databases, the roles are
-- created once and the rest applies to the database it runs in.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'userstream_migrator') THEN
    CREATE ROLE userstream_migrator LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'userstream_app') THEN
    CREATE ROLE userstream_app LOGIN;
  END IF;
END
$$;

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

-- What is already there and not the migrator's (created by a superuser before this script ran)
-- becomes the migrator's, so that later migrations can alter it. Extension members (pg_trgm's) stay
-- the extension's; a table's own indexes and sequences follow the table.
DO $$
DECLARE
  item record;
BEGIN
  FOR item IN
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
           c.oid::regclass::text AS name
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND c.relowner <> 'userstream_migrator'::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
    UNION ALL
    SELECT 'FUNCTION', p.oid::regprocedure::text
    FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
      AND p.proowner <> 'userstream_migrator'::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'TYPE', t.oid::regtype::text
    FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace
      AND t.typtype IN ('e', 'd')
      AND t.typowner <> 'userstream_migrator'::regrole
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO userstream_migrator', item.kind, item.name);
  END LOOP;
END
$$;

-- Rows of what is already there: readable and writable by the app (the default privileges below
-- cover only what the migrator creates later).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO userstream_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO userstream_app;

-- Everything the migrator creates from now on: rows readable and writable by the app.
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT EXECUTE ON FUNCTIONS TO userstream_app;
ALTER DEFAULT PRIVILEGES FOR ROLE userstream_migrator IN SCHEMA public
  GRANT USAGE ON TYPES TO userstream_app;
