// `pnpm bench:accept [seconds] [connections]`: HTTP load (autocannon) on POST /api/v1/registrations
// of the REST API server (`start:api`, port 8083 in a deployment) and of the production build of
// the web (`next start`), and on the web's tRPC mutation registration.submit, at full speed and at
// a fixed 500 requests/s, against a bare Node http server publishing with confirms, measured in
// the same run. Prints a table with the server's CPU per request and how many cores 1,500 req/s
// would take at that cost, writes bench/results/accept.json and docs/charts/accept.svg.
import autocannon from "autocannon";
import { connect } from "amqplib";
import { QUEUES } from "@userstream/contracts";
import { createTestDatabase } from "@userstream/db/testing";
import { assertTopology } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { writeBarChart } from "./lib/chart";
import { cpuSeconds, freePort, startNode, waitUntil, type BenchProcess } from "./lib/processes";
import { ratio, report, round, sizeArgs } from "./lib/results";
import { startApi, startWeb } from "./lib/web";

const { seconds, connections } = sizeArgs({ seconds: 10, connections: 50 });
const PACED_RATE = 500;
const TARGET_RATE = 1_500;
const registration = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

interface Target {
  name: string;
  url: string;
  body: string;
  server: BenchProcess;
}

async function load(target: Target, rate?: number) {
  const result = await autocannon({
    url: target.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: target.body,
    connections: rate ? Math.min(connections, 20) : connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    target: target.name,
    load: rate ? `${rate} req/s` : `full speed, ${connections} connections`,
    requestsPerSecond: Math.round(result.requests.total / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const [database, vhost] = await Promise.all([createTestDatabase("userstream_bench"), createTestVhost("userstream-bench")]);
const connection = await connect(vhost.url);
const channel = await connection.createChannel();
await assertTopology(channel);
const servers: BenchProcess[] = [];
const rows: Array<Awaited<ReturnType<typeof load>> & { serverCpuUsPerRequest: number; coresFor1500: number }> = [];
try {
  const baselinePort = await freePort();
  const baseline = startNode("bench/accept-baseline-server.ts", {}, [vhost.url, String(baselinePort)]);
  servers.push(baseline);
  await waitUntil("the baseline server", async () => baseline.output().includes("listening"), 30_000, 100);
  const services = { DATABASE_URL: database.url, AMQP_URL: vhost.url };
  const [api, web] = await Promise.all([startApi(services), startWeb(services)]);
  servers.push(api, web);
  const targets: Target[] = [
    { name: "baseline (bare http + confirms)", url: `http://127.0.0.1:${baselinePort}/`, body: JSON.stringify(registration), server: baseline },
    { name: "REST API server /api/v1/registrations", url: `${api.url}/api/v1/registrations`, body: JSON.stringify(registration), server: api },
    { name: "web (Next) /api/v1/registrations", url: `${web.url}/api/v1/registrations`, body: JSON.stringify(registration), server: web },
    { name: "web (Next) tRPC registration.submit", url: `${web.url}/api/trpc/registration.submit`, body: JSON.stringify({ json: registration }), server: web },
  ];
  for (const target of targets) {
    // A short warm-up: JIT, connection pools, the broker channel.
    await autocannon({ url: target.url, method: "POST", headers: { "content-type": "application/json" }, body: target.body, connections: 10, amount: Math.min(500, 50 * seconds) });
    for (const rate of [undefined, PACED_RATE]) {
      process.stdout.write(`${target.name}, ${rate ? `${rate} req/s` : "full speed"}… `);
      const cpuBefore = await cpuSeconds(target.server.child.pid as number);
      const row = await load(target, rate);
      const cpu = (await cpuSeconds(target.server.child.pid as number)) - cpuBefore;
      const served = row.requestsPerSecond * seconds;
      const cpuPerRequest = served > 0 ? cpu / served : 0;
      rows.push({ ...row, serverCpuUsPerRequest: Math.round(cpuPerRequest * 1e6), coresFor1500: round(cpuPerRequest * TARGET_RATE, 2) });
      console.log(`${row.requestsPerSecond} req/s, p99 ${row.p99Ms} ms, ${row.errors} errors`);
      await channel.purgeQueue(QUEUES.registration);
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await connection.close();
  await Promise.all([database.drop(), vhost.drop()]);
}

const [baseFull, , apiFull, apiPaced, webFull, webPaced, trpcFull, trpcPaced] = rows;
const ratios = {
  apiRateToBaseline: ratio(apiFull?.requestsPerSecond ?? 0, baseFull?.requestsPerSecond ?? 1),
  webRestRateToBaseline: ratio(webFull?.requestsPerSecond ?? 0, baseFull?.requestsPerSecond ?? 1),
  trpcRateToBaseline: ratio(trpcFull?.requestsPerSecond ?? 0, baseFull?.requestsPerSecond ?? 1),
};
await report("accept", rows, { seconds, connections, ratios, targets: { requestsPerSecond: `≥ ${TARGET_RATE}`, p99MsAt500: "< 50" } });
const summary = (name: string, full?: (typeof rows)[number], paced?: (typeof rows)[number]) =>
  `${name} ${full?.requestsPerSecond} req/s (${full?.coresFor1500} cores for ${TARGET_RATE}/s), p99 at ${PACED_RATE}/s ${paced?.p99Ms} ms`;
console.log(
  `${summary("REST API server", apiFull, apiPaced)}; ${summary("web REST", webFull, webPaced)}; ${summary("web tRPC", trpcFull, trpcPaced)} ` +
    `(targets ≥ ${TARGET_RATE} req/s, p99 < 50 ms)`,
);
await writeBarChart("accept", "Accepting registrations over HTTP (same run)", [
  { label: "requests/s, full speed", bars: rows.filter((_, i) => i % 2 === 0).map((row) => ({ name: row.target, value: row.requestsPerSecond })) },
  { label: `p99 latency (ms) at ${PACED_RATE} req/s`, bars: rows.filter((_, i) => i % 2 === 1).map((row) => ({ name: row.target, value: round(row.p99Ms, 1) })) },
]);
