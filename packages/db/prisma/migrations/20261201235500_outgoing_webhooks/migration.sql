-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('pending', 'queued', 'sending', 'delivered', 'failed', 'dead');

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(200) NOT NULL DEFAULT '',
    "events" TEXT[],
    "secret_ciphertext" TEXT NOT NULL,
    "created_by" VARCHAR(254) NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" VARCHAR(50) NOT NULL,
    "user_id" UUID,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status_code" INTEGER,
    "last_error" VARCHAR(1000),
    "lease_expires_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_created_at_idx" ON "webhook_endpoints"("created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_created_at_idx" ON "webhook_deliveries"("status", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_user_id_idx" ON "webhook_deliveries"("user_id");

-- CreateIndex
CREATE INDEX "webhook_attempts_delivery_id_created_at_idx" ON "webhook_attempts"("delivery_id", "created_at");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- updated_at is kept by the database, as for every table that has it.
CREATE TRIGGER webhook_endpoints_set_updated_at BEFORE UPDATE ON "webhook_endpoints"
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER webhook_deliveries_set_updated_at BEFORE UPDATE ON "webhook_deliveries"
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Records an event for every enabled endpoint subscribed to its type: one `pending` delivery each,
-- all with one event id, in the caller's transaction (the outbox: the event and its deliveries are
-- committed together or not at all; the sender's relay publishes them). Called by the receiver
-- (user.registered) and the web (user.email_confirmed, user.deleted). Returns the deliveries made.
CREATE FUNCTION emit_webhook_event(event_type text, user_id uuid, data jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  new_event_id uuid := gen_random_uuid();
  made integer;
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, user_id, data, occurred_at)
  SELECT e.id, new_event_id, emit_webhook_event.event_type, emit_webhook_event.user_id, emit_webhook_event.data, now()
  FROM webhook_endpoints e
  WHERE e.disabled_at IS NULL AND emit_webhook_event.event_type = ANY (e.events);
  GET DIAGNOSTICS made = ROW_COUNT;
  RETURN made;
END
$$;
