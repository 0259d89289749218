// `pnpm bench:accept [seconds] [connections]`: HTTP load (autocannon) on POST /api/v1/registrations
// and on the tRPC mutation registration.submit, each served by the API server (`start:api`, port
// 8083 in a deployment) and by the production build of the web (`next start`), at full speed and
// at a fixed 500 requests/s, against a bare Node http server publishing with confirms, measured in
// the same run. Prints a table with the server's CPU per request (and the broker's and PostgreSQL's
// beyond their idle) and how many cores 1,500 req/s would take at the server's cost, writes suites/bench/results/accept.json and docs/charts/accept.svg. The
// API server runs a second time with the registration limit on, counted in PostgreSQL
// (shared-rate-limiter.ts): every request from one client address (one row all requests update),
// and each from a new address (X-Forwarded-For from a trusted proxy: a row per request, and ended
// windows cleaned up).
import type { Readable } from "node:stream";
import autocannon from "autocannon";
import { connect } from "amqplib";
import { QUEUES } from "@userstream/contracts";
import { assertTopology } from "@userstream/messaging";
import { reportedPort, startApi, startWeb, type StartedProcess } from "@userstream/test-support";
import { writeBarChart } from "./lib/chart";
import { startCpuMeter, startScript } from "./lib/processes";
import { ratio, report, round, sizeArgs } from "./lib/results";
import { benchPlace } from "./lib/cleanup-on-interrupt";

const { seconds, connections } = sizeArgs({ seconds: 10, connections: 50 });
const PACED_RATE = 500;
const TARGET_RATE = 1_500;
const registration = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

interface Target {
  name: string;
  url: string;
  body: string;
  server: StartedProcess;
  /** Each request from another client address (X-Forwarded-For, the server trusting loopback as its proxy). */
  manyClients?: boolean;
}

let clientNumber = 0;
/** A new address from 10.0.0.0/8 (IPv4 keys count per address). */
const nextClient = () => `10.${(++clientNumber >> 16) & 255}.${(clientNumber >> 8) & 255}.${clientNumber & 255}`;

async function load(target: Target, rate?: number) {
  const result = await autocannon({
    url: target.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: target.body,
    connections: rate ? Math.min(connections, 20) : connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    ...(target.manyClients
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...request.headers, "x-forwarded-for": nextClient() },
              }),
            },
          ],
        }
      : {}),
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

const { database, vhost, drop } = await benchPlace();
const connection = await connect(vhost.url);
const channel = await connection.createChannel();
await assertTopology(channel);
const servers: StartedProcess[] = [];
type Row = Awaited<ReturnType<typeof load>> & {
  serverCpuUsPerRequest: number;
  coresFor1500: number;
  brokerCpuUsPerRequest: number;
  databaseCpuUsPerRequest: number;
};
const rows: Row[] = [];
try {
  const baseline = startScript("src/accept-baseline-server.ts", [vhost.url]);
  servers.push(baseline);
  const baselinePort = await reportedPort(baseline.child.stdout as Readable, 30_000);
  const services = { DATABASE_URL: database.url, AMQP_URL: vhost.url };
  // Limited, yet never refusing: the limit's cost, not its refusals.
  const limitedEnv = { ...services, REGISTRATION_RATE_LIMIT: "1000000", TRUSTED_PROXIES: "127.0.0.1" };
  const [api, limited, web] = await Promise.all([startApi(services), startApi(limitedEnv), startWeb(services)]);
  servers.push(api, limited, web);
  const rest = { path: "/api/v1/registrations", body: JSON.stringify(registration) };
  const trpc = { path: "/api/trpc/registration.submit", body: JSON.stringify({ json: registration }) };
  const targets: Target[] = [
    { name: "baseline (bare http + confirms)", url: `http://127.0.0.1:${baselinePort}/`, body: rest.body, server: baseline },
    { name: "API server: REST", url: `${api.url}${rest.path}`, body: rest.body, server: api },
    { name: "API server: tRPC", url: `${api.url}${trpc.path}`, body: trpc.body, server: api },
    {
      name: "API server: REST, limit in PostgreSQL, one client",
      url: `${limited.url}${rest.path}`,
      body: rest.body,
      server: limited,
    },
    {
      name: "API server: REST, limit in PostgreSQL, a client per request",
      url: `${limited.url}${rest.path}`,
      body: rest.body,
      server: limited,
      manyClients: true,
    },
    { name: "web (Next.js): REST", url: `${web.url}${rest.path}`, body: rest.body, server: web },
    { name: "web (Next.js): tRPC", url: `${web.url}${trpc.path}`, body: trpc.body, server: web },
  ];
  for (const target of targets) {
    // A short warm-up: JIT, connection pools, the broker channel.
    await autocannon({
      url: target.url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: target.body,
      connections: 10,
      amount: Math.min(500, 50 * seconds),
    });
    for (const rate of [undefined, PACED_RATE]) {
      process.stdout.write(`${target.name}, ${rate ? `${rate} req/s` : "full speed"}… `);
      const cpuMeter = await startCpuMeter([target.server.child.pid as number]);
      const row = await load(target, rate);
      const cpu = await cpuMeter.perItem(Math.max(1, row.requestsPerSecond * seconds));
      rows.push({
        ...row,
        serverCpuUsPerRequest: cpu.processesUs,
        coresFor1500: round((cpu.processesUs / 1e6) * TARGET_RATE, 2),
        brokerCpuUsPerRequest: cpu.brokerUs,
        databaseCpuUsPerRequest: cpu.databaseUs,
      });
      console.log(`${row.requestsPerSecond} req/s, p99 ${row.p99Ms} ms, ${row.errors} errors`);
      await channel.purgeQueue(QUEUES.registration);
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await connection.close();
  await drop();
}

// Rows come in pairs per target: full speed, then paced.
const [baseFull, , ...served] = rows;
const ratios = Object.fromEntries(
  served.filter((_, i) => i % 2 === 0).map((row) => [row.target, ratio(row.requestsPerSecond, baseFull?.requestsPerSecond ?? 1)]),
);
await report("accept", rows, {
  seconds,
  connections,
  ratesToBaseline: ratios,
  targets: { requestsPerSecond: `≥ ${TARGET_RATE}`, p99MsAt500: "< 50" },
});
for (let i = 0; i < served.length; i += 2) {
  const [full, paced] = [served[i], served[i + 1]];
  // The REST API server alone is held to a share of the bare server's rate (the same body, the same confirms).
  const toBaseline = full ? ratios[full.target] : undefined;
  const share =
    full?.target === "API server: REST" ? `${toBaseline}x the baseline (target ≥ 0.4)` : `${toBaseline}x the baseline`;
  console.log(
    `${full?.target}: ${full?.requestsPerSecond} req/s (target ≥ ${TARGET_RATE}; at its CPU per request ${TARGET_RATE}/s would take ` +
      `${full?.coresFor1500} of the machine's cores; ${share}), p99 at ${PACED_RATE}/s ${paced?.p99Ms} ms (target < 50)`,
  );
}
await writeBarChart("accept", "Accepting registrations over HTTP (same run)", [
  {
    label: "requests/s, full speed",
    bars: rows.filter((_, i) => i % 2 === 0).map((row) => ({ name: row.target, value: row.requestsPerSecond })),
  },
  {
    label: `p99 latency (ms) at ${PACED_RATE} req/s`,
    bars: rows.filter((_, i) => i % 2 === 1).map((row) => ({ name: row.target, value: round(row.p99Ms, 1) })),
  },
]);
