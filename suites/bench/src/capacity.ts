// `pnpm bench:capacity [--results dir] [--doc file] [--set name=value …]`: the capacity model of
// docs/scaling.md. Reads what the benchmarks measured (suites/bench/results/ingest.json,
// accept.json and email.json: CPU per registration of each process, the broker and PostgreSQL),
// prints the pods, broker nodes and database cores 1,000, 10,000 and 100,000 registrations a
// second need, with the figures and assumptions it used, and writes the same tables into
// docs/scaling.md between its `capacity` markers. `--set utilisation=0.5` changes an assumption
// (then it only prints: the document keeps the default assumptions), as does a smoke run (`--smoke`,
// as `npm test` makes, on the smoke runs' results).
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "@userstream/test-support";
import { capacityFor, DEFAULT_ASSUMPTIONS, singlePlaceLimits, type Assumptions, type RegistrationCost } from "./lib/capacity";
import { medianRow, resultsDir } from "./lib/results";

const RATES = [1_000, 10_000, 100_000];
/** The accept row whose server cost the model takes: every request from a new client, the limit counted in PostgreSQL. */
const ACCEPT_TARGET = "API server: REST, limit in PostgreSQL, a client per request";

interface Results<Row> {
  machine: { date: string; cpus: number; cpuModel: string };
  results: Row[];
}
interface IngestRow {
  consumer: string;
  mode: string;
  perSecond: number;
  consumerCpuUsPerMessage: number;
  brokerCpuUsPerMessage: number;
  databaseCpuUsPerMessage: number;
}
interface AcceptRow {
  target: string;
  load: string;
  serverCpuUsPerRequest: number;
  databaseCpuUsPerRequest?: number;
}
interface EmailRow {
  sender: string;
  perSecond: number;
  senderCpuUsPerEmail: number | null;
  brokerCpuUsPerEmail: number;
  databaseCpuUsPerEmail: number;
}

const RESULTS = ["ingest", "accept", "email"] as const;

async function readResults<Row>(dir: string, name: (typeof RESULTS)[number]): Promise<Results<Row>> {
  return JSON.parse(await readFile(path.join(dir, `${name}.json`), "utf8")) as Results<Row>;
}

/** Refuses, naming every one of them, when a result file the model reads is not there. */
function assertResults(dir: string): void {
  const missing = RESULTS.filter((name) => !existsSync(path.join(dir, `${name}.json`)));
  if (missing.length === 0) return;
  const shown = (name: string) => {
    const file = path.resolve(dir, `${name}.json`);
    const inRepo = path.relative(repoRoot, file);
    return inRepo.startsWith("..") ? file : inRepo;
  };
  throw new Error(
    `${missing.map(shown).join(", ")} ${missing.length === 1 ? "is" : "are"} missing: run ` +
      `${missing.map((name) => `\`pnpm bench:${name}\``).join(", ")} first`,
  );
}

/** Where each figure comes from, to print beside the model. */
type Sources = Array<{ figure: string; us: number; from: string }>;

/** The CPU per registration of each part, from the benchmarks' median runs, and where each figure came from. */
async function measuredCost(dir: string): Promise<{ cost: RegistrationCost; sources: Sources }> {
  assertResults(dir);
  const [ingest, accept, email] = await Promise.all([
    readResults<IngestRow>(dir, "ingest"),
    readResults<AcceptRow>(dir, "accept"),
    readResults<EmailRow>(dir, "email"),
  ]);
  const stored = medianRow(
    ingest.results.filter((row) => row.consumer === "receiver" && row.mode === "full speed"),
    "perSecond",
  );
  const accepted = accept.results.find((row) => row.target === ACCEPT_TARGET && row.load.startsWith("full speed"));
  if (accepted?.databaseCpuUsPerRequest === undefined) {
    throw new Error(
      `accept.json has no full-speed row for "${ACCEPT_TARGET}" with PostgreSQL's CPU: run \`pnpm bench:accept\` again`,
    );
  }
  const sent = medianRow(
    email.results.filter((row) => row.sender === "sender"),
    "perSecond",
  );
  const on = (results: Results<unknown>, name: string) => `${name} (${results.machine.date.slice(0, 10)})`;
  const sources: Sources = [
    { figure: "API server, per request", us: accepted.serverCpuUsPerRequest, from: on(accept, "bench:accept") },
    { figure: "PostgreSQL, per request (the limit)", us: accepted.databaseCpuUsPerRequest, from: on(accept, "bench:accept") },
    { figure: "receiver, per registration", us: stored.consumerCpuUsPerMessage, from: on(ingest, "bench:ingest") },
    { figure: "broker, per registration", us: stored.brokerCpuUsPerMessage, from: on(ingest, "bench:ingest") },
    { figure: "PostgreSQL, per registration", us: stored.databaseCpuUsPerMessage, from: on(ingest, "bench:ingest") },
    { figure: "sender, per email", us: sent.senderCpuUsPerEmail ?? 0, from: on(email, "bench:email") },
    { figure: "broker, per email", us: sent.brokerCpuUsPerEmail, from: on(email, "bench:email") },
    { figure: "PostgreSQL, per email", us: sent.databaseCpuUsPerEmail, from: on(email, "bench:email") },
  ];
  const us = (figure: string) => sources.find((source) => source.figure === figure)?.us ?? 0;
  const cost: RegistrationCost = {
    api: us("API server, per request"),
    receiver: us("receiver, per registration"),
    sender: us("sender, per email"),
    broker: us("broker, per registration") + us("broker, per email"),
    brokerIngest: us("broker, per registration"),
    database: us("PostgreSQL, per request (the limit)") + us("PostgreSQL, per registration") + us("PostgreSQL, per email"),
  };
  return { cost, sources };
}

/** The assumptions that are shares of something: above 1 they mean nothing. */
const SHARES: ReadonlyArray<keyof Assumptions> = ["utilisation", "followerShare", "busiestQueueShare"];

/**
 * The assumptions with `--set name=value` applied; an unknown name, a value that is not a positive
 * number, or a share above 1 is refused.
 */
function withOverrides(settings: string[]): Assumptions {
  const assumptions: Assumptions = { ...DEFAULT_ASSUMPTIONS };
  for (const setting of settings) {
    const [name = "", value = ""] = setting.split("=");
    if (!(name in assumptions))
      throw new Error(`--set ${setting}: no assumption "${name}" (${Object.keys(assumptions).join(", ")})`);
    const number = Number(value);
    if (!(number > 0)) throw new Error(`--set ${setting}: the value must be a positive number`);
    if (SHARES.includes(name as keyof Assumptions) && number > 1)
      throw new Error(`--set ${setting}: ${name} is a share, at most 1`);
    assumptions[name as keyof Assumptions] = number;
  }
  return assumptions;
}

const table = (header: string[], rows: Array<Array<string | number>>) =>
  [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
const figure = (n: number) => n.toLocaleString("en-US");

function render(cost: RegistrationCost, sources: Sources, assumptions: Assumptions): string {
  const sizings = RATES.map((rate) => capacityFor(rate, cost, assumptions));
  const limits = singlePlaceLimits(cost, assumptions);
  const row = (name: string, value: (sizing: (typeof sizings)[number]) => string | number) => [
    name,
    ...sizings.map((sizing) => value(sizing)),
  ];
  return [
    table(
      ["registrations/s", ...RATES.map(figure)],
      [
        row("API server pods", (s) => s.apiPods),
        row("receiver pods", (s) => s.receiverPods),
        row("sender pods", (s) => `${s.senderPods} (${s.senderBound})`),
        row("RabbitMQ cores", (s) => s.brokerCores),
        row("RabbitMQ nodes", (s) => s.brokerNodes),
        row("user.registration queues", (s) => s.registrationQueues),
        row("PostgreSQL primary cores", (s) => `${s.databaseCores}${s.oneDatabaseEnough ? "" : " (more than one primary)"}`),
      ],
    ),
    "",
    `One user.registration queue carries up to ${figure(limits.oneQueuePerSecond)} registrations/s; one primary of ` +
      `${assumptions.databaseMaxCores} cores up to ${figure(limits.onePrimaryPerSecond)}/s.`,
    "",
    "Measured CPU (µs):",
    "",
    table(
      ["figure", "µs", "from"],
      sources.map((source) => [source.figure, source.us, source.from]),
    ),
    "",
    `Per registration: API server ${cost.api}, receiver ${cost.receiver}, sender ${cost.sender}, ` +
      `broker ${cost.broker}, PostgreSQL ${cost.database}.`,
    "",
    "Assumptions:",
    "",
    table(
      ["name", "value"],
      Object.entries(assumptions).map(([name, value]) => [name, value]),
    ),
  ].join("\n");
}

const START = "<!-- capacity:start (pnpm bench:capacity writes this part) -->";
const END = "<!-- capacity:end -->";

/** Replaces what lies between the markers of `file` with `block`. */
async function writeBlock(file: string, block: string) {
  const text = await readFile(file, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} markers`);
  await writeFile(file, `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`);
  console.log(`written ${path.relative(repoRoot, file)}`);
}

const { values } = parseArgs({
  options: {
    results: { type: "string", default: resultsDir },
    doc: { type: "string", default: path.join(repoRoot, "docs", "scaling.md") },
    set: { type: "string", multiple: true, default: [] },
    smoke: { type: "boolean", default: false },
  },
});
try {
  const { cost, sources } = await measuredCost(values.results);
  const block = render(cost, sources, withOverrides(values.set));
  console.log(block);
  if (values.set.length === 0 && !values.smoke) await writeBlock(values.doc, block);
} catch (error) {
  console.error(`bench:capacity: ${(error as Error).message}`);
  process.exitCode = 1;
}
