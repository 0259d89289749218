// `pnpm bench:email [count]`: welcome emails delivered by the project's sender (a real process) to a
// local SMTP sink that accepts and discards, against nodemailer's pool sending straight to the same
// sink, measured in the same run. Prints a table, writes bench/results/email.json and docs/charts/email.svg.
import { createTestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { writeBarChart } from "./lib/chart";
import { measureBaselineMailer, measureSenders, startSmtpSink } from "./lib/email";
import { ratio, report, sizeArgs } from "./lib/results";

const { count } = sizeArgs({ count: 10_000 });
const SENDER_POOL_SIZE = 5; // the sender's default SMTP_POOL_SIZE
const [database, vhost] = await Promise.all([createTestDatabase("userstream_bench"), createTestVhost("userstream-bench")]);
const sink = await startSmtpSink();
const rows = [];
try {
  process.stdout.write(`baseline, ${count} emails… `);
  rows.push(await measureBaselineMailer({ sink, count, poolSize: SENDER_POOL_SIZE }));
  console.log(`${rows.at(-1)?.perSecond}/s`);
  process.stdout.write(`sender, ${count} emails… `);
  rows.push(await measureSenders({ databaseUrl: database.url, amqpUrl: vhost.url, sink, senders: 1, count }));
  console.log(`${rows.at(-1)?.perSecond}/s`);
} finally {
  await sink.close();
  await Promise.all([database.drop(), vhost.drop()]);
}
const [baseline, sender] = rows as [(typeof rows)[number], (typeof rows)[number]];
const rateToBaseline = ratio(sender.perSecond, baseline.perSecond);
await report("email", rows, { ratios: { rateToBaseline }, targets: { rateToBaseline: "≥ 0.5" } });
console.log(`sender / baseline: ${rateToBaseline}x (target ≥ 0.5)`);
await writeBarChart("email", "Welcome emails to a local SMTP sink (same run)", [
  { label: "emails/s", bars: rows.map((row) => ({ name: row.sender, value: row.perSecond })) },
  { label: "p99 hand-off → accepted by the sink (ms)", bars: rows.map((row) => ({ name: row.sender, value: row.p99Ms })) },
]);
