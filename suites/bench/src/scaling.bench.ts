// `pnpm bench:scaling [count] [emails]`: ingest with 1, 2 and 3 receivers and welcome emails with 1
// and 2 senders, each a real process competing for one queue, with the CPU each part used (the
// receivers or senders, RabbitMQ, PostgreSQL), to show which resource stops the scaling. Prints a
// table, writes suites/bench/results/scaling.json and docs/charts/scaling.svg.
import os from "node:os";
import { writeBarChart } from "./lib/chart";
import { measureSenders, startSmtpSink } from "./lib/email";
import { measureIngest } from "./lib/ingest";
import { report, round, sizeArgs } from "./lib/results";
import { benchPlace } from "./lib/cleanup-on-interrupt";

const { count, emails } = sizeArgs({ count: 30_000, emails: 5_000 });
const cores = os.cpus().length;
// A smoke run only checks that every step works: the smallest step of each kind suffices.
const smoke = process.argv.includes("--smoke");
const { database, vhost, drop } = await benchPlace();
const sink = await startSmtpSink();
const ingest = [];
const senders = [];
try {
  for (const processes of smoke ? [2] : [1, 2, 3]) {
    process.stdout.write(`${processes} receiver(s), ${count} registrations… `);
    const row = await measureIngest({
      databaseUrl: database.url,
      amqpUrl: vhost.url,
      consumer: "receiver",
      processes,
      count,
      ratePerSecond: 0,
    });
    // CPU seconds per second of wall time, of the machine's cores: who had the CPU.
    const share = (usPerMessage: number) => round(((usPerMessage / 1e6) * row.perSecond) / cores, 2);
    ingest.push({
      ...row,
      receiversCpuShare: share(row.consumerCpuUsPerMessage),
      brokerCpuShare: share(row.brokerCpuUsPerMessage),
      databaseCpuShare: share(row.databaseCpuUsPerMessage),
      machineBusyShare: share(row.machineCpuUsPerMessage),
    });
    console.log(`${row.perSecond}/s`);
  }
  for (const processes of smoke ? [2] : [1, 2]) {
    process.stdout.write(`${processes} sender(s), ${emails} emails… `);
    senders.push(
      await measureSenders({ databaseUrl: database.url, amqpUrl: vhost.url, sink, senders: processes, count: emails }),
    );
    console.log(`${senders.at(-1)?.perSecond}/s`);
  }
} finally {
  await sink.close();
  await drop();
}
await report("scaling", [...ingest, ...senders], { cores, note: "CPU shares are of all cores: 1.0 = the whole machine" });
await writeBarChart("scaling", `Scaling out on ${cores} cores (same run)`, [
  {
    label: "registrations/s by receivers",
    bars: ingest.map((row) => ({ name: `${row.processes} receiver(s)`, value: row.perSecond })),
  },
  {
    label: "share of the machine's CPU during ingest (1 receiver / 2 / 3)",
    bars: ingest.flatMap((row) => [
      { name: `receivers ×${row.processes}`, value: row.receiversCpuShare },
      { name: `RabbitMQ ×${row.processes}`, value: row.brokerCpuShare },
      { name: `PostgreSQL ×${row.processes}`, value: row.databaseCpuShare },
      { name: `whole machine ×${row.processes}`, value: row.machineBusyShare },
    ]),
  },
  {
    label: "welcome emails/s by senders",
    bars: senders.map((row) => ({ name: `${row.processes} sender(s)`, value: row.perSecond })),
  },
]);
