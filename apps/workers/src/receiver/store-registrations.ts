import type { UserRegistrationMessage } from "@userstream/contracts";
import { withConnection } from "@userstream/db/pool";
import type pg from "pg";

/*
 * The receiver's one write: a registration (or a batch of them) with its user and welcome email, in
 * plain SQL through `pg` (docs/architecture.md, "One database path per process"). `updated_at` is
 * left to the columns' default (the database keeps it: see the set_updated_at migration).
 */

/**
 * What storing a registration did: a new user, an address that was already registered (no second
 * user), or a message seen before (a redelivery; nothing changes).
 */
export type StoreOutcome = "created" | "duplicate" | "redelivered";

export interface StoreResult {
  outcome: StoreOutcome;
  /** A welcome email recorded but not yet handed to the sender: publish `email.send` for it. */
  pendingWelcome?: { notificationId: string };
}

interface Row {
  registration_id: string;
  outcome: StoreOutcome | null;
  notification_id: string | null;
}

// A batch is at most a few hundred keys, each looked up in a unique b-tree: index lookups in nested
// loops are always the right plan. Left to itself, the planner goes wrong while a table grows
// faster than autovacuum re-analyses it (say, right after a deployment): hash joins over a whole
// table per batch, or the trigram index on email (built for search, read only by bitmap scans)
// whose lookups slow down as its pending list grows under inserts; either makes every batch cost
// more than the one before. A disabled plan is not forbidden but priced at 10^10, and a plan that
// must still take one (the webhook endpoints' scan: that table has no index to use) then looks
// expensive enough to JIT-compile on every call: 0.5 s a batch, which cut ingest to a third
// (docs/benchmarks.md, "Ingest and the JIT"). So JIT is off too. These settings hold for the
// batch's transaction only.
export const PLAN_SETTINGS = [
  ...["enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin"].map(
    (setting) => `SET LOCAL ${setting} = off;`,
  ),
  "SET LOCAL jit = off;",
].join(" ");

// New users first, in message order, skipping registrations already recorded (their user may have
// been deleted since) and addresses already taken. A concurrent insert of the same address waits
// for the other transaction and is then skipped.
const INSERT_USERS = `
  INSERT INTO users (registration_id, first_name, last_name, email)
  SELECT i.registration_id, i.first_name, i.last_name, i.email
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS i(registration_id, first_name, last_name, email, ord)
  WHERE NOT EXISTS (SELECT 1 FROM registrations r WHERE r.id = i.registration_id)
  ORDER BY i.ord
  ON CONFLICT DO NOTHING`;

// A later statement sees those users: record each registration against the user of its address
// (created when the user was made by this very registration), queue the welcome emails of new
// users, and report the still-queued welcome email of a redelivered registration.
const RECORD_REGISTRATIONS = `
  WITH input AS (
    SELECT DISTINCT ON (registration_id) registration_id, email
    FROM unnest($1::uuid[], $2::text[]) AS i(registration_id, email)
  ),
  seen AS (
    SELECT r.id, r.outcome, r.user_id FROM registrations r JOIN input i ON r.id = i.registration_id
  ),
  fresh AS (
    SELECT i.registration_id, u.id AS user_id, u.registration_id = i.registration_id AS created
    FROM input i JOIN users u ON u.email = i.email
    WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.id = i.registration_id)
  ),
  recorded AS (
    INSERT INTO registrations (id, user_id, outcome)
    SELECT registration_id, user_id, (CASE WHEN created THEN 'created' ELSE 'duplicate' END)::registration_outcome
    FROM fresh
  ),
  welcomed AS (
    INSERT INTO notification_logs (user_id, kind, status)
    SELECT user_id, 'welcome', 'queued' FROM fresh WHERE created
    RETURNING id, user_id
  )
  SELECT i.registration_id::text,
    CASE WHEN s.id IS NOT NULL THEN 'redelivered' WHEN f.created THEN 'created' WHEN f.user_id IS NOT NULL THEN 'duplicate' END AS outcome,
    COALESCE(w.id, q.id)::text AS notification_id
  FROM input i
  LEFT JOIN seen s ON s.id = i.registration_id
  LEFT JOIN fresh f ON f.registration_id = i.registration_id
  LEFT JOIN welcomed w ON f.created AND w.user_id = f.user_id
  LEFT JOIN notification_logs q
    ON s.outcome = 'created' AND q.user_id = s.user_id AND q.kind = 'welcome' AND q.status = 'queued'`;

// Each new user is an event for the integrators' webhooks: recorded in the same transaction as the
// user (emit_webhook_event: one pending delivery per subscribed endpoint), so one is never without
// the other. Only the registrations that made their user are passed; with no endpoint subscribed
// (the usual case) the function is not called at all.
export const EMIT_REGISTERED = `
  SELECT count(emit_webhook_event('user.registered', u.id, jsonb_build_object(
    'userId', u.id, 'registrationId', u.registration_id, 'firstName', u.first_name, 'lastName', u.last_name,
    'email', u.email, 'registeredAt', u.created_at)))
  FROM users u
  WHERE u.registration_id = ANY($1::uuid[])
    AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.disabled_at IS NULL AND 'user.registered' = ANY (e.events))`;

/**
 * Stores a batch of registrations in one transaction of two statements (three when it makes new
 * users: their `user.registered` webhook events). For each: a new address
 * makes a user and their welcome email's `queued` notification row, a known address a duplicate
 * registration of the existing user (no email), a registration id seen before nothing, but its
 * welcome email is still reported while `queued`, because the earlier delivery may have died
 * between the commit and the hand-off. Within a batch, the first registration of an address wins
 * and a repeated registration id is a redelivery. Returns one result per message, in order.
 * Throws, storing nothing, when any registration cannot be recorded (say, another receiver records
 * the same one at the same moment); the caller then stores the messages one by one
 * ({@link storeRegistration}): one that loses the same race again is retried later, and then finds
 * its registration and reports a redelivery.
 */
export async function storeRegistrations(pool: pg.Pool, messages: UserRegistrationMessage[]): Promise<StoreResult[]> {
  const payloads = messages.map((message) => message.payload);
  const ids = payloads.map((p) => p.registrationId);
  // On failure the connection is dropped, its transaction with it (it may be the reason: PostgreSQL restarted).
  return withConnection(pool, async (client) => {
    await client.query(`BEGIN; ${PLAN_SETTINGS}`);
    await client.query(INSERT_USERS, [
      ids,
      payloads.map((p) => p.firstName),
      payloads.map((p) => p.lastName),
      payloads.map((p) => p.email),
    ]);
    const { rows } = await client.query<Row>(RECORD_REGISTRATIONS, [ids, payloads.map((p) => p.email)]);
    const results = resultsInOrder(ids, rows);
    const created = ids.filter((_id, i) => results[i]?.outcome === "created");
    if (created.length > 0) await client.query(EMIT_REGISTERED, [created]);
    await client.query("COMMIT");
    return results;
  });
}

/** Stores one registration: a batch of one, so that one registration and a batch take the same path. */
export async function storeRegistration(pool: pg.Pool, message: UserRegistrationMessage): Promise<StoreResult> {
  const [result] = await storeRegistrations(pool, [message]);
  return result as StoreResult;
}

function resultsInOrder(ids: string[], rows: Row[]): StoreResult[] {
  const byId = new Map(rows.map((row) => [row.registration_id, row]));
  const reported = new Set<string>();
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row?.outcome) throw new Error(`registration ${id} could not be recorded in its batch`);
    // A registration id twice in one batch: the second is a redelivery of the first, and the
    // first one reports the welcome email.
    if (reported.has(id)) return { outcome: "redelivered" };
    reported.add(id);
    return {
      outcome: row.outcome,
      pendingWelcome: row.notification_id ? { notificationId: row.notification_id } : undefined,
    };
  });
}
