-- AlterTable
ALTER TABLE "notification_logs" ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3);

