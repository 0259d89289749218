-- CreateEnum
CREATE TYPE "notification_event_type" AS ENUM ('sent', 'delivered', 'delivery_delayed', 'bounced', 'complained', 'failed', 'suppressed');

-- CreateEnum
CREATE TYPE "suppression_reason" AS ENUM ('hard_bounce', 'complaint', 'soft_bounces', 'manual');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "notification_status" ADD VALUE 'delivered';
ALTER TYPE "notification_status" ADD VALUE 'bounced';
ALTER TYPE "notification_status" ADD VALUE 'complained';
ALTER TYPE "notification_status" ADD VALUE 'suppressed';

-- CreateTable
CREATE TABLE "notification_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "notification_id" UUID,
    "provider" VARCHAR(20) NOT NULL,
    "provider_event_id" VARCHAR(200) NOT NULL,
    "provider_message_id" VARCHAR(200),
    "type" "notification_event_type" NOT NULL,
    "permanent" BOOLEAN,
    "detail" VARCHAR(1000),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "address" VARCHAR(254) NOT NULL,
    "reason" "suppression_reason" NOT NULL,
    "source_event_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "suppression_removals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "address" VARCHAR(254) NOT NULL,
    "reason" "suppression_reason" NOT NULL,
    "source_event_id" UUID,
    "suppressed_at" TIMESTAMPTZ(3) NOT NULL,
    "removal_reason" VARCHAR(500) NOT NULL,
    "admin_email" VARCHAR(254) NOT NULL,
    "removed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppression_removals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_events_notification_id_occurred_at_idx" ON "notification_events"("notification_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "notification_events_provider_provider_event_id_key" ON "notification_events"("provider", "provider_event_id");

-- CreateIndex
CREATE INDEX "suppressions_created_at_idx" ON "suppressions"("created_at" DESC);

-- CreateIndex
CREATE INDEX "suppressions_address_idx" ON "suppressions" USING GIN ("address" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "suppression_removals_address_removed_at_idx" ON "suppression_removals"("address", "removed_at" DESC);

-- CreateIndex
CREATE INDEX "notification_logs_provider_provider_message_id_idx" ON "notification_logs"("provider", "provider_message_id");

-- AddForeignKey
ALTER TABLE "notification_events" ADD CONSTRAINT "notification_events_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notification_logs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_source_event_id_fkey" FOREIGN KEY ("source_event_id") REFERENCES "notification_events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The order a sent email's status moves in, defined once: sent < delivered < bounced < complained.
-- Other statuses are outside the order (NULL): an email still queued or sending is the sender's, so a
-- provider's event never moves it, and a move out of the order (a later "send again") stays possible.
-- Compared as text: the values added above cannot be used as enum literals in this transaction.
CREATE FUNCTION notification_status_rank(status notification_status) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status::text WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'bounced' THEN 3 WHEN 'complained' THEN 4 END
$$;

-- Whoever updates the row, a status in the order never moves back in it (a late `email.delivered`
-- after `email.bounced`): the statements below do not try, and this refuses any that would.
CREATE FUNCTION keep_notification_status_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF notification_status_rank(NEW.status) < notification_status_rank(OLD.status) THEN
    RAISE EXCEPTION 'email % cannot go back from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER notification_logs_status_forward BEFORE UPDATE OF status ON "notification_logs"
  FOR EACH ROW EXECUTE FUNCTION keep_notification_status_forward();

-- Records one provider event, once, for the web (Resend's webhooks) and the sender (an SMTP relay's
-- permanent refusal) alike, so the rules live in one place:
--   * the event is kept once per (provider, provider_event_id): a repeat returns 'duplicate' and changes nothing;
--   * the email is found by the provider's message id unless given; an unknown one returns 'unmatched'
--     (kept, for the record: another application may share the provider account);
--   * delivered, bounced and complained move the email's status forward in the order above, never back;
--   * a complaint or a hard bounce suppresses the address; a soft bounce does once the address has had
--     `soft_bounce_limit` of them since an admin last let it through (NULL: never).
-- Returns 'duplicate', 'unmatched', 'recorded' or 'suppressed'.
CREATE FUNCTION record_notification_event(
  p_provider text,
  p_provider_event_id text,
  p_provider_message_id text,
  p_notification_id uuid,
  p_type notification_event_type,
  p_permanent boolean,
  p_detail text,
  p_occurred_at timestamptz,
  p_address text,
  p_soft_bounce_limit integer
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_notification uuid := p_notification_id;
  v_event uuid;
  v_address text := lower(btrim(p_address));
  v_status notification_status;
  v_reason suppression_reason;
  v_suppressed text;
BEGIN
  IF v_notification IS NULL AND p_provider_message_id IS NOT NULL THEN
    SELECT id INTO v_notification FROM notification_logs
    WHERE provider = p_provider AND provider_message_id = p_provider_message_id
    LIMIT 1;
  END IF;

  INSERT INTO notification_events (notification_id, provider, provider_event_id, provider_message_id, type, permanent, detail, occurred_at)
  VALUES (v_notification, p_provider, p_provider_event_id, p_provider_message_id, p_type, p_permanent, left(p_detail, 1000), p_occurred_at)
  ON CONFLICT (provider, provider_event_id) DO NOTHING
  RETURNING id INTO v_event;
  IF v_event IS NULL THEN RETURN 'duplicate'; END IF;
  IF v_notification IS NULL THEN RETURN 'unmatched'; END IF;

  v_status := CASE p_type WHEN 'delivered' THEN 'delivered' WHEN 'bounced' THEN 'bounced' WHEN 'complained' THEN 'complained' END;
  IF v_status IS NOT NULL THEN
    UPDATE notification_logs SET status = v_status
    WHERE id = v_notification AND notification_status_rank(status) < notification_status_rank(v_status);
  END IF;

  IF v_address IS NULL OR v_address = '' THEN RETURN 'recorded'; END IF;
  IF p_type = 'complained' THEN
    v_reason := 'complaint';
  ELSIF p_type = 'bounced' AND p_permanent THEN
    v_reason := 'hard_bounce';
  ELSIF p_type = 'bounced' AND p_soft_bounce_limit IS NOT NULL AND (
    SELECT count(*) FROM notification_events e
    JOIN notification_logs n ON n.id = e.notification_id
    JOIN users u ON u.id = n.user_id
    WHERE u.email = v_address AND e.type = 'bounced' AND e.permanent IS NOT TRUE
      AND e.received_at > coalesce((SELECT max(removed_at) FROM suppression_removals WHERE address = v_address), '-infinity')
  ) >= p_soft_bounce_limit THEN
    v_reason := 'soft_bounces';
  END IF;
  IF v_reason IS NULL THEN RETURN 'recorded'; END IF;

  INSERT INTO suppressions (address, reason, source_event_id) VALUES (v_address, v_reason, v_event)
  ON CONFLICT (address) DO NOTHING
  RETURNING 'suppressed' INTO v_suppressed;
  RETURN coalesce(v_suppressed, 'recorded');
END
$$;
