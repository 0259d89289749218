-- `updated_at` is kept by the database, whoever writes the row (the web through Prisma, the workers
-- in plain SQL): an insert gets the column's default, and every update of a row sets it to the
-- transaction's time (now(), as the default), so no statement has to remember it. Prisma's
-- @updatedAt still sends its own value; the trigger replaces it.

-- AlterTable
ALTER TABLE "notification_logs" ALTER COLUMN "updated_at" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "users" ALTER COLUMN "updated_at" SET DEFAULT CURRENT_TIMESTAMP;

-- One function for every table with an updated_at column. It fires for the app role's updates: a
-- trigger's function needs no EXECUTE right of whoever fires it (and roles.sql grants it anyway).
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- A table added later with an updated_at column gets the same trigger in its migration (a test in
-- packages/db checks every one has it).
CREATE TRIGGER notification_logs_set_updated_at BEFORE UPDATE ON "notification_logs"
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON "users"
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
