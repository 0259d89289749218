-- CreateEnum
CREATE TYPE "api_key_scope" AS ENUM ('read', 'write', 'delete');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "scopes" "api_key_scope"[];

-- Keys made before scopes existed could do everything: they keep every scope, so nothing that uses
-- one breaks. An admin who wants less makes a new key with fewer scopes and revokes the old one.
UPDATE "api_keys" SET "scopes" = ARRAY['read', 'write', 'delete']::"api_key_scope"[];

