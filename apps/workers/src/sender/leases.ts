import type pg from "pg";

/*
 * The sender's leases, the same for welcome emails (notification_logs) and webhook deliveries
 * (webhook_deliveries): a claim moves a row to `sending` until `now + leaseMs`; a row still
 * `sending` after that was left by a sender that died, and the next claim takes it over.
 */

/** The tables whose rows the sender leases. */
export type LeasedTable = "notification_logs" | "webhook_deliveries";

/** A leased row's status and, while `sending`, until when its sender holds it. */
export interface LeaseState {
  status: string;
  leaseExpiresAt: Date | null;
}

/** The parameters of a claim statement: the row's id or ids, now ($2), and the end of the lease taken now ($3). */
export function claimParams<Id>(id: Id, leaseMs: number): [Id, Date, Date] {
  const now = new Date();
  return [id, now, new Date(now.getTime() + leaseMs)];
}

/** The row's lease state; undefined when there is no such row. */
export async function findLeaseState(pool: pg.Pool, table: LeasedTable, id: string): Promise<LeaseState | undefined> {
  const { rows } = await pool.query<{ status: string; lease_expires_at: Date | null }>(
    `SELECT status, lease_expires_at FROM ${table} WHERE id = $1`,
    [id],
  );
  const [row] = rows;
  return row && { status: row.status, leaseExpiresAt: row.lease_expires_at };
}

/** How long to wait before looking again at a row another sender holds: until its lease runs out, a second at least. */
export function untilLeaseEnds(state: LeaseState): number {
  return Math.max(1_000, (state.leaseExpiresAt?.getTime() ?? 0) - Date.now());
}
