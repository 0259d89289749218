import { RegistrationInputSchema, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import type { Publisher } from "@userstream/messaging";

/**
 * A steady stream of registrations and the client-side ledger of what was sent and what the
 * broker confirmed, as Jepsen counts: a registration is promised to the user only once the broker
 * confirmed it, so those (and only those) must each end up stored and emailed.
 */
export interface Load {
  scenario: string;
  /** Registration id → the address as the person typed it, for every publish attempted. */
  sent: Map<string, string>;
  /** Registration ids the broker confirmed (the web would answer "accepted"). */
  confirmed: Set<string>;
  /** Publishes reported as failed (the web would answer 503): never promised to anyone. */
  failed: number;
  /** Stops the stream and waits for every publish in flight to be confirmed or fail. */
  stop(): Promise<void>;
}

const TICK_MS = 50;
const MAX_IN_FLIGHT = 2_000;
/** One registration in this many is a person registering again, typing their address differently. */
const REPEAT_EVERY = 10;

/** The addresses of a scenario's people: `<scenario>-<n>@chaos.example.com`. */
export function scenarioAddress(scenario: string, n: number): string {
  return `${scenario}-${n}@chaos.example.com`;
}

/** The same address as a person might type it a second time: other case, stray spaces. */
function retyped(address: string): string {
  const [local = "", domain = ""] = address.split("@");
  return `  ${local.toUpperCase()}@${domain.charAt(0).toUpperCase()}${domain.slice(1)} `;
}

/**
 * Publishes `ratePerSecond` registrations through the project's publisher, exactly as the web's
 * `submitRegistration` does: validate with the shared schema, envelope id = registration id,
 * answer only after the confirm. Every tenth is a repeat of an earlier address, retyped, which
 * must create neither a second user nor a second email.
 */
export function startLoad(scenario: string, publisher: Publisher, ratePerSecond: number): Load {
  const inFlight = new Set<Promise<void>>();
  let people = 0;
  const load: Load = { scenario, sent: new Map(), confirmed: new Set(), failed: 0, stop };

  function publishOne() {
    const repeat = people > 0 && (load.sent.size + 1) % REPEAT_EVERY === 0;
    const typed = repeat
      ? retyped(scenarioAddress(scenario, 1 + Math.floor(Math.random() * people)))
      : scenarioAddress(scenario, ++people);
    const registration = RegistrationInputSchema.parse({ firstName: "Zoë", lastName: "O'Brien-Łukasz", email: typed });
    const registrationId = crypto.randomUUID();
    load.sent.set(registrationId, typed);
    const envelope = createEnvelope(UserRegistrationV1, { ...registration, registrationId }, registrationId);
    const work = publisher.publish(UserRegistrationV1, envelope).then(
      () => void load.confirmed.add(registrationId),
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
