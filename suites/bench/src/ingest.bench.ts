// `pnpm bench:ingest [count] [pacedCount] [rate]`: registrations published through the project's
// publisher and stored by the project's receiver (a real process), at full speed and paced, against
// the plain batched consumer (raw amqplib + pg) measured in the same run on the same queue and table.
// Each pair runs REPEATS times, interleaved, and the ratios compare medians: one run on a shared
// machine can be off by a third either way. Prints a table, writes suites/bench/results/ingest.json and
// docs/charts/ingest.svg.
import { writeBarChart } from "./lib/chart";
import { measureIngest, type IngestConsumer } from "./lib/ingest";
import { medianRow, ratio, report, sizeArgs } from "./lib/results";
import { benchPlace } from "./lib/cleanup-on-interrupt";

const { count, pacedCount, rate } = sizeArgs({ count: 50_000, pacedCount: 10_000, rate: 1_000 });
// A smoke run only checks that every step works.
const REPEATS = process.argv.includes("--smoke") ? 1 : 3;
const { database, vhost, drop } = await benchPlace();
type Row = Awaited<ReturnType<typeof measureIngest>> & { run: number };
const rows: Row[] = [];
try {
  for (const [n, perSecond] of [
    [count, 0],
    [pacedCount, rate],
  ] as const) {
    for (let run = 1; run <= REPEATS; run++) {
      for (const consumer of ["baseline", "receiver"] satisfies IngestConsumer[]) {
        process.stdout.write(`${consumer}, ${n} registrations, ${perSecond ? `${perSecond}/s` : "full speed"}, run ${run}… `);
        const row = await measureIngest({
          databaseUrl: database.url,
          amqpUrl: vhost.url,
          consumer,
          processes: 1,
          count: n,
          ratePerSecond: perSecond,
        });
        console.log(`${row.perSecond}/s, p99 ${row.p99Ms} ms`);
        rows.push({ ...row, run });
      }
    }
  }
} finally {
  await drop();
}

const runsOf = (consumer: IngestConsumer, paced: boolean) =>
  rows.filter((row) => row.consumer === consumer && row.mode.startsWith("paced") === paced);
// The median run by rate at full speed, by p99 when paced.
const [baseFull, full] = (["baseline", "receiver"] as const).map((consumer) =>
  medianRow(runsOf(consumer, false), "perSecond"),
) as [Row, Row];
const [basePaced, paced] = (["baseline", "receiver"] as const).map((consumer) => medianRow(runsOf(consumer, true), "p99Ms")) as [
  Row,
  Row,
];
// What stops the rate: with the machine equally busy in both runs, rates go as the inverse of the
// machine's CPU per registration. Take away everything the receiver process spends beyond the
// baseline consumer, and what is left (the broker's and the database's share of the hand-off and
// the registrations record, which the baseline never does) still bounds the ratio.
const outside = (row: Row) => row.brokerCpuUsPerMessage + row.databaseCpuUsPerMessage;
const withCheapReceiver = full.machineCpuUsPerMessage - (full.consumerCpuUsPerMessage - baseFull.consumerCpuUsPerMessage);
const ratios = {
  rateToBaseline: ratio(full.perSecond, baseFull.perSecond),
  pacedP99ToBaseline: ratio(paced.p99Ms, basePaced.p99Ms),
  rateBoundWithCheapReceiver: ratio(baseFull.machineCpuUsPerMessage, withCheapReceiver),
};
await report("ingest", rows, {
  repeats: REPEATS,
  medians: { baseFull, full, basePaced, paced },
  ratios,
  targets: { rateToBaseline: "≥ 0.7", pacedP99ToBaseline: "≤ 1.5" },
});
console.log(
  `medians of ${REPEATS}: receiver / baseline: rate ${ratios.rateToBaseline}x (${full.perSecond} vs ${baseFull.perSecond}/s, target ≥ 0.7), ` +
    `p99 at ${rate}/s ${ratios.pacedP99ToBaseline}x (${paced.p99Ms} vs ${basePaced.p99Ms} ms, target ≤ 1.5)`,
);
console.log(
  `machine busy ${full.machineBusyPercent} % (baseline run ${baseFull.machineBusyPercent} %); machine CPU per registration ` +
    `${full.machineCpuUsPerMessage} µs vs ${baseFull.machineCpuUsPerMessage} µs, broker + database ${outside(full)} µs vs ${outside(baseFull)} µs; ` +
    `a receiver process as cheap as the baseline's would still need ${withCheapReceiver} µs: at most ` +
    `${ratios.rateBoundWithCheapReceiver}x the baseline on this machine`,
);

await writeBarChart("ingest", `Ingest: receiver vs plain batched consumer (same run, medians of ${REPEATS})`, [
  {
    label: "registrations/s, full speed",
    bars: [
      { name: "baseline", value: baseFull.perSecond },
      { name: "receiver", value: full.perSecond },
    ],
  },
  {
    label: `publish → stored p50 / p99 (ms), paced ${rate}/s`,
    bars: [
      { name: "baseline p50", value: basePaced.p50Ms },
      { name: "receiver p50", value: paced.p50Ms },
      { name: "baseline p99", value: basePaced.p99Ms },
      { name: "receiver p99", value: paced.p99Ms },
    ],
  },
  {
    label: "consumer CPU per registration (µs), full speed",
    bars: [
      { name: "baseline", value: baseFull.consumerCpuUsPerMessage },
      { name: "receiver", value: full.consumerCpuUsPerMessage },
    ],
  },
]);
