import { describe, expect, it } from "vitest";
import { countLedger, drainAndCount, type Stored, type StoredUser } from "./ledger";
import { scenarioAddress, type Load } from "./load";

// The chaos suite's checks, run on crafted evidence: each must fail on the fault it is there for.

const scenario = "crafted";
const ids = ["a", "b", "c"].map((letter) => `00000000-0000-4000-8000-00000000000${letter}`);
const addresses = [1, 2, 3].map((n) => scenarioAddress(scenario, n));

function load(confirmed = ids): Load {
  return {
    scenario,
    sent: new Map(ids.map((id, i) => [id, addresses[i] as string])),
    confirmed: new Set(confirmed),
    failed: 0,
    stop: async () => undefined,
  };
}

function user(i: number, overrides: Partial<StoredUser> = {}): StoredUser {
  return { registration_id: ids[i] as string, email: addresses[i] as string, welcome_rows: 1, sent_rows: 1, ...overrides };
}

/** Every registration stored once, every welcome row sent, every address emailed once. */
function settled(): { stored: Stored; deliveries: Map<string, number> } {
  return {
    stored: { users: [0, 1, 2].map((i) => user(i)), registrations: new Set(ids) },
    deliveries: new Map(addresses.map((address) => [address, 1])),
  };
}

describe("the chaos ledger", () => {
  it("counts a settled scenario as nothing lost and nothing doubled", () => {
    const { stored, deliveries } = settled();
    expect(countLedger(load(), stored, deliveries)).toEqual({
      scenario,
      confirmed: 3,
      refused: 0,
      storedUnconfirmed: 0,
      users: 3,
      lost: 0,
      duplicateUsers: 0,
      welcomeRows: 3,
      unsent: 0,
      emailed: 3,
      missingEmails: 0,
      duplicateEmails: 0,
      strayEmails: 0,
    });
  });

  it("counts a second SMTP delivery to one address, whatever its case", () => {
    const { stored, deliveries } = settled();
    deliveries.set(` ${(addresses[1] as string).toUpperCase()}`, 1);
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ duplicateEmails: 1, emailed: 3 });
  });

  it("counts a second user for one person, stored under another case of the address", () => {
    const { stored, deliveries } = settled();
    stored.users.push(
      user(0, { registration_id: "00000000-0000-4000-8000-00000000000d", email: (addresses[0] as string).toUpperCase() }),
    );
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ duplicateUsers: 1, users: 4 });
  });

  it("counts a user for an address nobody registered as one user too many", () => {
    const { stored, deliveries } = settled();
    stored.users.push({
      ...user(0),
      registration_id: "00000000-0000-4000-8000-00000000000e",
      email: scenarioAddress(scenario, 99),
    });
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ duplicateUsers: 1 });
  });

  it("shows a stored row without a welcome row: welcomeRows differs from users and it is unsent", () => {
    const { stored, deliveries } = settled();
    stored.users[2] = user(2, { welcome_rows: 0, sent_rows: 0 });
    const counts = countLedger(load(), stored, deliveries);
    expect(counts.welcomeRows).not.toBe(counts.users);
    expect(counts).toMatchObject({ welcomeRows: 2, users: 3, unsent: 1 });
  });

  it("counts a welcome row that was never marked sent", () => {
    const { stored, deliveries } = settled();
    stored.users[0] = user(0, { sent_rows: 0 });
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ unsent: 1, welcomeRows: 3 });
  });

  it("counts a confirmed registration the receiver never recorded as lost", () => {
    const { stored, deliveries } = settled();
    stored.registrations = new Set(ids.slice(1));
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ lost: 1 });
  });

  it("counts an email to someone with no user, and a user with no email", () => {
    const { stored, deliveries } = settled();
    stored.users.pop();
    deliveries.delete(addresses[0] as string);
    expect(countLedger(load(), stored, deliveries)).toMatchObject({ strayEmails: 1, missingEmails: 1, lost: 1 });
  });

  it("counts a person stored although none of their registrations was confirmed", () => {
    const { stored, deliveries } = settled();
    expect(countLedger(load(ids.slice(0, 2)), stored, deliveries)).toMatchObject({ confirmed: 2, storedUnconfirmed: 1, lost: 0 });
  });

  /** Drains `stored` with the queues as `depths` says (the ready ones among them), giving up after `stallMs` without progress. */
  function drain(stored: Stored, deliveries: Map<string, number>, depths: Record<string, number>, stallMs: number) {
    const readyMessages = async () => depths["email.send"] ?? 0;
    return drainAndCount({
      load: load(),
      readStored: async () => stored,
      deliveries,
      readyMessages,
      queueDepths: async () => depths,
      stallMs,
    });
  }

  it("says the drain timed out, with what was still pending", async () => {
    const { stored, deliveries } = settled();
    stored.users[1] = user(1, { sent_rows: 0 });
    const counts = await drain(stored, deliveries, { "email.send": 4, "user.registration.dead": 0 }, 0);
    expect(counts).toMatchObject({ drainTimedOut: true, unsent: 1, leftInQueues: 4 });
  });

  it("reports a drain that settled as not timed out", async () => {
    const { stored, deliveries } = settled();
    const counts = await drain(stored, deliveries, { "email.send": 0, "user.registration.dead": 2 }, 60_000);
    expect(counts).toMatchObject({ drainTimedOut: false, leftInQueues: 0, deadLetters: 2 });
  });

  it("keeps waiting past the stall time while emails still go out", async () => {
    const { stored } = settled();
    stored.users = stored.users.map((row) => ({ ...row, sent_rows: 0 }));
    const deliveries = new Map<string, number>();
    const depths = { "email.send": 3 };
    // One email goes out every 700 ms: the drain takes about 2 s, longer than its stall time of 1 s.
    const sending = setInterval(() => {
      const next = stored.users.findIndex((row) => row.sent_rows === 0);
      if (next < 0) return;
      stored.users[next] = user(next);
      deliveries.set(addresses[next] as string, 1);
      depths["email.send"] -= 1;
    }, 700);
    const started = Date.now();
    try {
      expect(await drain(stored, deliveries, depths, 1_000)).toMatchObject({ drainTimedOut: false, emailed: 3, unsent: 0 });
      expect(Date.now() - started).toBeGreaterThan(1_500);
    } finally {
      clearInterval(sending);
    }
  });
});
