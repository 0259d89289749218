// `pnpm bench:email [count]`: welcome emails delivered by the project's sender (a real process) to a
// local SMTP sink that accepts and discards, against nodemailer's pool sending straight to the same
// sink, measured in the same run: REPEATS interleaved pairs, the ratio of the medians. Prints a table,
// writes suites/bench/results/email.json and docs/charts/email.svg.
import { writeBarChart } from "./lib/chart";
import { measureBaselineMailer, measureSenders, startSmtpSink } from "./lib/email";
import { medianRow, ratio, report, sizeArgs } from "./lib/results";
import { benchPlace } from "./lib/cleanup-on-interrupt";

const { count } = sizeArgs({ count: 10_000 });
// A smoke run only checks that every step works.
const REPEATS = process.argv.includes("--smoke") ? 1 : 3;
const SENDER_POOL_SIZE = 5; // the sender's default SMTP_POOL_SIZE
const { database, vhost, drop } = await benchPlace();
const sink = await startSmtpSink();
type Row = Awaited<ReturnType<typeof measureSenders>> & { run: number };
const rows: Row[] = [];
try {
  for (let run = 1; run <= REPEATS; run++) {
    process.stdout.write(`baseline, ${count} emails, run ${run}… `);
    rows.push({ ...(await measureBaselineMailer({ sink, count, poolSize: SENDER_POOL_SIZE })), run });
    console.log(`${rows.at(-1)?.perSecond}/s`);
    process.stdout.write(`sender, ${count} emails, run ${run}… `);
    rows.push({ ...(await measureSenders({ databaseUrl: database.url, amqpUrl: vhost.url, sink, senders: 1, count })), run });
    console.log(`${rows.at(-1)?.perSecond}/s`);
  }
} finally {
  await sink.close();
  await drop();
}
// The rows alternate: baseline, sender, baseline, sender…
const medians = [0, 1].map((i) =>
  medianRow(
    rows.filter((_, j) => j % 2 === i),
    "perSecond",
  ),
) as [Row, Row];
const [baseline, sender] = medians;
const rateToBaseline = ratio(sender.perSecond, baseline.perSecond);
await report("email", rows, { repeats: REPEATS, ratios: { rateToBaseline }, targets: { rateToBaseline: "≥ 0.85" } });
console.log(
  `medians of ${REPEATS}: sender / baseline: ${rateToBaseline}x (${sender.perSecond} vs ${baseline.perSecond}/s, target ≥ 0.85)`,
);
// What bounds the ratio: with the machine's cores busy, rates go as the inverse of the machine's
// CPU per email. The baseline pays for nodemailer and the sink only; the sender's run also for the
// broker's and the database's part of each email, which a sender process costing nothing would
// still leave.
const outside = (sender.machineCpuUsPerEmail ?? 0) - (sender.senderCpuUsPerEmail ?? 0);
const saturated = Math.min(sender.machineBusyPercent, baseline.machineBusyPercent) >= 90;
console.log(
  `machine busy ${sender.machineBusyPercent} % (baseline run ${baseline.machineBusyPercent} %); machine CPU per email ` +
    `${sender.machineCpuUsPerEmail} µs vs ${baseline.machineCpuUsPerEmail} µs, of it the sender ${sender.senderCpuUsPerEmail} µs, ` +
    `the broker ${sender.brokerCpuUsPerEmail} µs, the database ${sender.databaseCpuUsPerEmail} µs beyond their idle; ` +
    (saturated
      ? `a sender process costing nothing would still need ${outside} µs: at most ` +
        `${ratio(baseline.machineCpuUsPerEmail ?? 0, outside)}x the baseline on this machine`
      : "one run left the machine's cores idle, so CPU does not bound it: latency does (each email's round trips to the " +
        "broker, the database and the SMTP server, times the emails in flight)"),
);
await writeBarChart("email", `Welcome emails to a local SMTP sink (same run, medians of ${REPEATS})`, [
  { label: "emails/s", bars: medians.map((row) => ({ name: row.sender, value: row.perSecond })) },
  { label: "p99 hand-off → accepted by the sink (ms)", bars: medians.map((row) => ({ name: row.sender, value: row.p99Ms })) },
]);
