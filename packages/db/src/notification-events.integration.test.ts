import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "./pool";
import { createTestDatabase, type TestDatabase } from "./testing";

// The rules of record_notification_event and the status order (migration *_deliverability), which
// the web (Resend's webhooks) and the sender (SMTP refusals) both rely on.

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase("userstream_test_events");
  pool = createPool(db.url, { max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A user and their welcome email, sent through Resend with the given message id. */
async function sentEmail(email: string, messageId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH u AS (INSERT INTO users (registration_id, first_name, last_name, email) VALUES (gen_random_uuid(), 'Ada', 'Lovelace', $1) RETURNING id)
     INSERT INTO notification_logs (user_id, kind, status, provider, provider_message_id, sent_at)
     SELECT id, 'welcome', 'sent', 'resend', $2, now() FROM u RETURNING id`,
    [email, messageId],
  );
  return rows[0]!.id;
}

async function record(
  eventId: string,
  messageId: string,
  type: string,
  options: { permanent?: boolean; address?: string; limit?: number } = {},
) {
  const { rows } = await pool.query<{ outcome: string }>(
    "SELECT record_notification_event('resend', $1, $2, NULL, $3::notification_event_type, $4, 'detail', now(), $5, $6) AS outcome",
    [eventId, messageId, type, options.permanent ?? null, options.address ?? null, options.limit ?? 3],
  );
  return rows[0]!.outcome;
}

const statusOf = async (id: string) =>
  (await pool.query<{ status: string }>("SELECT status FROM notification_logs WHERE id = $1", [id])).rows[0]?.status;
const suppression = async (address: string) =>
  (await pool.query<{ reason: string }>("SELECT reason FROM suppressions WHERE address = $1", [address])).rows[0]?.reason;

describe("provider events", () => {
  it("move an email forward only, and count each event id once", async () => {
    const id = await sentEmail("order@example.com", "re_order");
    expect(await record("evt_1", "re_order", "delivered")).toBe("recorded");
    expect(await statusOf(id)).toBe("delivered");
    expect(await record("evt_2", "re_order", "complained", { address: "order@example.com" })).toBe("suppressed");
    // A late bounce and a late delivery are kept on the timeline but move nothing back.
    expect(await record("evt_3", "re_order", "bounced", { permanent: true, address: "order@example.com" })).toBe("recorded");
    expect(await record("evt_4", "re_order", "delivered")).toBe("recorded");
    expect(await record("evt_4", "re_order", "delivered")).toBe("duplicate");
    expect(await statusOf(id)).toBe("complained");
    const { rows } = await pool.query(
      "SELECT type FROM notification_events WHERE notification_id = $1 ORDER BY received_at, id",
      [id],
    );
    expect(rows).toHaveLength(4);
    expect(await suppression("order@example.com")).toBe("complaint");
  });

  it("refuse any statement that would move a status back in the order", async () => {
    const id = await sentEmail("back@example.com", "re_back");
    await pool.query("UPDATE notification_logs SET status = 'bounced' WHERE id = $1", [id]);
    await expect(pool.query("UPDATE notification_logs SET status = 'delivered' WHERE id = $1", [id])).rejects.toThrow(
      /cannot go back from bounced to delivered/,
    );
    await expect(pool.query("UPDATE notification_logs SET status = 'sent' WHERE id = $1", [id])).rejects.toThrow(
      /cannot go back/,
    );
    expect(await statusOf(id)).toBe("bounced");
  });

  it("leave an email the sender still holds alone, and keep an unknown message id's event unattached", async () => {
    const id = await sentEmail("early@example.com", "re_early");
    await pool.query("UPDATE notification_logs SET status = 'queued' WHERE id = $1", [id]);
    await pool.query("UPDATE notification_logs SET status = 'sending' WHERE id = $1", [id]);
    expect(await record("evt_early", "re_early", "delivered")).toBe("recorded");
    expect(await statusOf(id)).toBe("sending");
    expect(await record("evt_other", "re_someone_elses", "bounced", { permanent: true, address: "other@example.com" })).toBe(
      "unmatched",
    );
    expect(await suppression("other@example.com")).toBeUndefined();
  });

  it("suppress an address after the soft-bounce limit, counted since an admin last let it through", async () => {
    const ids = [await sentEmail("soft@example.com", "re_soft")];
    const soft = (n: number) =>
      record(`evt_soft_${n}`, "re_soft", "bounced", { permanent: false, address: " Soft@Example.com ", limit: 2 });
    expect(await soft(1)).toBe("recorded");
    expect(await suppression("soft@example.com")).toBeUndefined();
    expect(await soft(2)).toBe("suppressed");
    expect(await statusOf(ids[0]!)).toBe("bounced");
    await pool.query(
      `WITH gone AS (DELETE FROM suppressions WHERE address = 'soft@example.com' RETURNING *)
       INSERT INTO suppression_removals (address, reason, source_event_id, suppressed_at, removal_reason, admin_email)
       SELECT address, reason, source_event_id, created_at, 'mailbox fixed', 'admin@example.com' FROM gone`,
    );
    expect(await soft(3)).toBe("recorded");
    expect(await soft(4)).toBe("suppressed");
  });
});
