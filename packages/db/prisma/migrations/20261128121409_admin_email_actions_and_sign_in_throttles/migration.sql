-- CreateEnum
CREATE TYPE "email_action_kind" AS ENUM ('resend', 'replay');

-- CreateTable
CREATE TABLE "email_actions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "notification_id" UUID NOT NULL,
    "action" "email_action_kind" NOT NULL,
    "from_status" "notification_status" NOT NULL,
    "admin_email" VARCHAR(254) NOT NULL,
    "message_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_throttles" (
    "key" VARCHAR(300) NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "sign_in_throttles_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "email_actions_notification_id_created_at_idx" ON "email_actions"("notification_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "registrations_received_at_idx" ON "registrations"("received_at");

-- AddForeignKey
ALTER TABLE "email_actions" ADD CONSTRAINT "email_actions_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notification_logs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
