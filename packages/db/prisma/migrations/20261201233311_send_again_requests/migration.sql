-- CreateEnum
CREATE TYPE "send_requester" AS ENUM ('registrant', 'admin');

-- AlterTable
ALTER TABLE "notification_logs" ADD COLUMN     "resends" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "email_send_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "notification_id" UUID,
    "registration_id" UUID,
    "requested_by" "send_requester" NOT NULL,
    "client_key" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_send_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_send_requests_notification_id_created_at_idx" ON "email_send_requests"("notification_id", "created_at");

-- CreateIndex
CREATE INDEX "email_send_requests_registration_id_created_at_idx" ON "email_send_requests"("registration_id", "created_at");

-- CreateIndex
CREATE INDEX "email_send_requests_client_key_created_at_idx" ON "email_send_requests"("client_key", "created_at");

-- AddForeignKey
ALTER TABLE "email_send_requests" ADD CONSTRAINT "email_send_requests_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notification_logs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_send_requests" ADD CONSTRAINT "email_send_requests_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
