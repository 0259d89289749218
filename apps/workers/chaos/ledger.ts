import { setTimeout as sleep } from "node:timers/promises";
import { QUEUES, RegistrationInputSchema, UserRegistrationV1, createEnvelope, deadLetterQueue } from "@userstream/contracts";
import type { Publisher } from "@userstream/messaging";
import pg from "pg";
import type { TestSmtpServer } from "../test/smtp-test-server";

/**
 * A steady stream of registrations and the client-side ledger of those that got a confirm, as
 * Jepsen counts: a registration is promised to the user only once the broker confirmed it, so
 * those (and only those) must each end up stored once and emailed once.
 */
export interface Load {
  scenario: string;
  /** Registration id → email address, for every publish the broker confirmed. */
  confirmed: Map<string, string>;
  /** Publishes reported as failed (the web would answer 503): never promised to anyone. */
  failed: number;
  /** Stops the stream and waits for every publish in flight to be confirmed or fail. */
  stop(): Promise<void>;
}

const TICK_MS = 50;
const MAX_IN_FLIGHT = 2_000;

/**
 * Publishes `ratePerSecond` registrations through the project's publisher, exactly as the web's
 * `submitRegistration` does: validate with the shared schema, envelope id = registration id,
 * answer only after the confirm.
 */
export function startLoad(scenario: string, publisher: Publisher, ratePerSecond: number): Load {
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;
  const load: Load = { scenario, confirmed: new Map(), failed: 0, stop };

  function publishOne() {
    const email = `${scenario}-${++sequence}@chaos.example.com`;
    const registration = RegistrationInputSchema.parse({ firstName: "Zoë", lastName: "O'Brien-Łukasz", email });
    const registrationId = crypto.randomUUID();
    const envelope = createEnvelope(UserRegistrationV1, { ...registration, registrationId }, registrationId);
    const work = publisher.publish(UserRegistrationV1, envelope).then(
      () => void load.confirmed.set(registrationId, email),
      () => void load.failed++,
    );
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  const perTick = ratePerSecond * (TICK_MS / 1_000);
  let owed = 0;
  const timer = setInterval(() => {
    owed += perTick;
    for (; owed >= 1 && inFlight.size < MAX_IN_FLIGHT; owed--) publishOne();
    owed = Math.min(owed, perTick);
  }, TICK_MS);

  async function stop() {
    clearInterval(timer);
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }
  return load;
}

/** What one scenario's ledger shows once everything has settled. */
export interface LedgerCounts {
  scenario: string;
  confirmed: number;
  /** Publishes answered with an error (not promised). */
  refused: number;
  /** Stored although not confirmed: the broker took the message but its confirm never arrived. */
  storedUnconfirmed: number;
  lost: number;
  duplicateUsers: number;
  welcomeRows: number;
  emailed: number;
  missingEmails: number;
  duplicateEmails: number;
  deadLetters: number;
  /** Messages left in any queue other than the dead-letter queues. */
  leftInQueues: number;
}

interface StoredRow {
  registration_id: string;
  email: string;
  welcome_rows: number;
  sent_rows: number;
}

async function storedRows(databaseUrl: string, scenario: string): Promise<StoredRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<StoredRow>(
      `SELECT u.registration_id, u.email,
              count(n.id)::int AS welcome_rows,
              count(n.id) FILTER (WHERE n.status = 'sent')::int AS sent_rows
         FROM users u LEFT JOIN notification_logs n ON n.user_id = u.id AND n.kind = 'welcome'
        WHERE u.email LIKE $1
        GROUP BY u.id`,
      [`${scenario}-%@chaos.example.com`],
    );
    return rows;
  } finally {
    await client.end();
  }
}

function count(load: Load, rows: StoredRow[], smtp: TestSmtpServer) {
  const byRegistration = new Map(rows.map((row) => [row.registration_id, row]));
  const emails = rows.map((row) => row.email);
  const confirmedIds = [...load.confirmed.keys()];
  return {
    scenario: load.scenario,
    confirmed: load.confirmed.size,
    refused: load.failed,
    storedUnconfirmed: rows.filter((row) => !load.confirmed.has(row.registration_id)).length,
    lost: confirmedIds.filter((id) => !byRegistration.has(id)).length,
    duplicateUsers: emails.length - new Set(emails).size,
    welcomeRows: rows.reduce((sum, row) => sum + row.welcome_rows, 0),
    emailed: emails.filter((email) => smtp.deliveriesTo(email) > 0).length,
    missingEmails: emails.filter((email) => smtp.deliveriesTo(email) === 0).length,
    duplicateEmails: emails.reduce((sum, email) => sum + Math.max(0, smtp.deliveriesTo(email) - 1), 0),
    unsent: rows.filter((row) => row.sent_rows !== 1).length,
  };
}

/**
 * Waits until every registration of the scenario has settled (every confirmed one stored, every
 * stored one emailed, the work queues empty), or until `timeoutMs`; then counts. `readyMessages`
 * is the cheap probe polled meanwhile; `queueDepths` (ready and unacknowledged) has the last word.
 */
export async function drainAndCount(options: {
  load: Load;
  databaseUrl: string;
  smtp: TestSmtpServer;
  readyMessages(): Promise<number>;
  queueDepths(): Promise<Record<string, number>>;
  timeoutMs?: number;
}): Promise<LedgerCounts> {
  const { load, smtp } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const deadQueues = new Set(Object.values(QUEUES).map(deadLetterQueue));
  for (;;) {
    const current = count(load, await storedRows(options.databaseUrl, load.scenario), smtp);
    const quiet = current.lost === 0 && current.unsent === 0 && current.missingEmails === 0 && (await options.readyMessages()) === 0;
    const timedOut = Date.now() > deadline;
    if (quiet || timedOut) {
      const depths = await options.queueDepths();
      const leftInQueues = Object.entries(depths)
        .filter(([name]) => !deadQueues.has(name))
        .reduce((sum, [, depth]) => sum + depth, 0);
      if (leftInQueues === 0 || timedOut) {
        const { unsent: _unsent, ...counts } = current;
        const deadLetters = [...deadQueues].reduce((sum, name) => sum + (depths[name] ?? 0), 0);
        return { ...counts, leftInQueues, deadLetters };
      }
    }
    await sleep(500);
  }
}

/** One line per scenario for the CI log and docs/reliability.md. */
export function formatCounts(counts: LedgerCounts): string {
  return Object.entries(counts)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
}
