import { setTimeout as sleep } from "node:timers/promises";
import { QUEUES, deadLetterQueue } from "@userstream/contracts";
import pg from "pg";
import type { Load } from "./load";

/** A user row of the scenario with its welcome notification rows. */
export interface StoredUser {
  registration_id: string;
  email: string;
  welcome_rows: number;
  sent_rows: number;
}

/** What the database holds for a scenario's registrations. */
export interface Stored {
  users: StoredUser[];
  /** Registration ids the receiver recorded (the `registrations` table). */
  registrations: ReadonlySet<string>;
}

/** What one scenario's ledger shows once everything has settled. */
export interface LedgerCounts {
  scenario: string;
  confirmed: number;
  /** Publishes answered with an error (not promised). */
  refused: number;
  /** People stored although none of their registrations was confirmed (the confirm was lost). */
  storedUnconfirmed: number;
  users: number;
  /** Confirmed registrations not recorded, or whose person has no user. */
  lost: number;
  /** Users beyond one per person sent (by address, whatever its case or spaces). */
  duplicateUsers: number;
  welcomeRows: number;
  /** Users whose welcome row is not exactly one `sent` row. */
  unsent: number;
  emailed: number;
  missingEmails: number;
  /** SMTP deliveries beyond one per person. */
  duplicateEmails: number;
  /** People who received an email but have no user. */
  strayEmails: number;
  /** Messages left in any queue other than the dead-letter queues. */
  leftInQueues: number;
  deadLetters: number;
  /** True when the drain gave up waiting: the other counts are then what was left pending. */
  drainTimedOut: boolean;
}

/** One person, one mailbox: an address compared as a mail server delivers it. */
function person(address: string): string {
  return address.trim().toLowerCase();
}

function isScenarioPerson(scenario: string, address: string): boolean {
  return address.startsWith(`${scenario}-`) && address.endsWith("@chaos.example.com");
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Counts a scenario from independent evidence: what the load sent and the broker confirmed, what
 * the database holds and what the SMTP server received (`deliveries`: recipient → messages). Users
 * and emails are counted per person, not per row, so a second user or email for one person shows
 * whatever the schema's constraints say.
 */
export function countLedger(
  load: Pick<Load, "scenario" | "sent" | "confirmed" | "failed">,
  stored: Stored,
  deliveries: ReadonlyMap<string, number>,
) {
  const personOf = (id: string) => person(load.sent.get(id) ?? "");
  const sentPeople = new Set([...load.sent.keys()].map(personOf));
  const confirmedPeople = new Set([...load.confirmed].map(personOf));
  const usersPerPerson = countBy(stored.users, (user) => person(user.email));
  const storedPeople = [...usersPerPerson.keys()].filter((who) => sentPeople.has(who));
  const deliveriesPerPerson = new Map<string, number>();
  for (const [address, count] of deliveries) {
    const who = person(address);
    if (isScenarioPerson(load.scenario, who)) deliveriesPerPerson.set(who, (deliveriesPerPerson.get(who) ?? 0) + count);
  }
  const delivered = (who: string) => deliveriesPerPerson.get(who) ?? 0;
  return {
    scenario: load.scenario,
    confirmed: load.confirmed.size,
    refused: load.failed,
    storedUnconfirmed: storedPeople.filter((who) => !confirmedPeople.has(who)).length,
    users: stored.users.length,
    lost: [...load.confirmed].filter((id) => !stored.registrations.has(id) || !usersPerPerson.has(personOf(id))).length,
    // A row for an address nobody sent counts too: more users than people.
    duplicateUsers: stored.users.length - storedPeople.length,
    welcomeRows: stored.users.reduce((sum, user) => sum + user.welcome_rows, 0),
    unsent: stored.users.filter((user) => user.welcome_rows !== 1 || user.sent_rows !== 1).length,
    emailed: storedPeople.filter((who) => delivered(who) > 0).length,
    missingEmails: storedPeople.filter((who) => delivered(who) === 0).length,
    duplicateEmails: [...deliveriesPerPerson.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    strayEmails: [...deliveriesPerPerson.keys()].filter((who) => !usersPerPerson.has(who)).length,
  };
}

/** Reads a scenario's users (any case or spacing of its addresses) and recorded registrations. */
export async function readStored(databaseUrl: string, load: Pick<Load, "scenario" | "sent">): Promise<Stored> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined); // as in harness.ts's sql(): the query's promise carries the error
  await client.connect();
  try {
    const users = await client.query<StoredUser>(
      `SELECT u.registration_id, u.email,
              count(n.id)::int AS welcome_rows,
              count(n.id) FILTER (WHERE n.status = 'sent')::int AS sent_rows
         FROM users u LEFT JOIN notification_logs n ON n.user_id = u.id AND n.kind = 'welcome'
        WHERE lower(btrim(u.email)) LIKE $1
        GROUP BY u.id`,
      [`${load.scenario}-%@chaos.example.com`],
    );
    const registrations = await client.query<{ id: string }>("SELECT id FROM registrations WHERE id = ANY($1::uuid[])", [
      [...load.sent.keys()],
    ]);
    return { users: users.rows, registrations: new Set(registrations.rows.map((row) => row.id)) };
  } finally {
    await client.end();
  }
}

/** How long a drain may go without a registration stored or an email sent before it counts as stuck. */
const DRAIN_STALL_MS = 90_000;
/** How long a drain may take in all, progress or not. */
const DRAIN_MAX_MS = 10 * 60_000;

/**
 * Waits until every registration of the scenario has settled (every confirmed one stored, every
 * stored one emailed, the work queues empty), or until it stops moving: `stallMs` without a
 * registration stored or an email sent (a long scenario on a loaded machine leaves thousands of
 * emails to send, which is a backlog, not a fault), or `maxMs` in all; then counts. `readyMessages`
 * is the cheap probe polled meanwhile; `queueDepths` (ready and unacknowledged) has the last word.
 */
export async function drainAndCount(options: {
  load: Load;
  readStored(): Promise<Stored>;
  deliveries: ReadonlyMap<string, number>;
  readyMessages(): Promise<number>;
  queueDepths(): Promise<Record<string, number>>;
  stallMs?: number;
  maxMs?: number;
}): Promise<LedgerCounts> {
  const { load } = options;
  const stallMs = options.stallMs ?? DRAIN_STALL_MS;
  const end = Date.now() + (options.maxMs ?? DRAIN_MAX_MS);
  let progress = -1;
  let deadline = 0;
  const deadQueues = new Set(Object.values(QUEUES).map(deadLetterQueue));
  for (;;) {
    const current = countLedger(load, await options.readStored(), options.deliveries);
    if (current.users + current.emailed > progress) {
      progress = current.users + current.emailed;
      deadline = Math.min(end, Date.now() + stallMs);
    }
    const quiet =
      current.lost === 0 && current.unsent === 0 && current.missingEmails === 0 && (await options.readyMessages()) === 0;
    const drainTimedOut = Date.now() >= deadline;
    if (quiet || drainTimedOut) {
      const depths = await options.queueDepths();
      const leftInQueues = Object.entries(depths)
        .filter(([name]) => !deadQueues.has(name))
        .reduce((sum, [, depth]) => sum + depth, 0);
      if (leftInQueues === 0 || drainTimedOut) {
        const deadLetters = [...deadQueues].reduce((sum, name) => sum + (depths[name] ?? 0), 0);
        return { ...current, leftInQueues, deadLetters, drainTimedOut };
      }
    }
    await sleep(500);
  }
}

/** One line per scenario for the CI log and docs/reliability.md; `figures` (e.g. a time to recover) end it. */
export function formatCounts(counts: LedgerCounts, figures: Record<string, number> = {}): string {
  return Object.entries({ ...counts, ...figures })
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
}
