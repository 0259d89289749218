// `pnpm bench:startup [runs]`: each long-running process but the web (receiver, sender, reporter,
// the REST API alone) started both ways in the same run: its TypeScript sources through tsx (how
// production ran before the bundles, and how tests and `pnpm dev` run) and its built bundle with
// plain node (its `start:*` script, as `npm start` and the images run it). For each: the time from
// spawn to the first 200 of its readiness URL (polled every 10 ms), the CPU seconds used by then,
// and its resident memory (VmRSS) 2 s after ready, idle. Medians of RUNS interleaved starts. Builds
// the bundles first when they are missing or older than their sources.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ensureApiBundle,
  ensureWorkerBundles,
  freePorts,
  packageScriptCommand,
  startProcess,
  webDir,
  workersDir,
} from "@userstream/test-support";
import { startSmtpSink } from "./lib/email";
import { cpuSeconds } from "./lib/processes";
import { medianRow, report, round, sizeArgs } from "./lib/results";
import { benchPlace } from "./lib/cleanup-on-interrupt";

const { runs } = sizeArgs({ runs: 5 });
const WAYS = ["source (tsx)", "bundle (node)"] as const;
type Way = (typeof WAYS)[number];

interface Subject {
  name: string;
  cwd: string;
  /** The Node arguments of each way. */
  args: Record<Way, string[]>;
  portVariable: string;
  readyPath: string;
}

/** The Node arguments of a package script (`node --flag dist/x.mjs` → `--flag dist/x.mjs`). */
const scriptArgs = (dir: string, name: string) => packageScriptCommand(dir, name).slice(1);
const worker = (role: string, flags: string[] = []): Subject => ({
  name: role,
  cwd: workersDir,
  args: {
    "source (tsx)": [...flags, "--import", "tsx", `src/${role}/main.ts`],
    "bundle (node)": scriptArgs(workersDir, `start:${role}`),
  },
  portVariable: `${role.toUpperCase()}_PORT`,
  readyPath: "/readyz",
});
const SUBJECTS: Subject[] = [
  worker("receiver"),
  worker("sender"),
  worker("reporter", ["--max-semi-space-size=2"]),
  {
    name: "api",
    cwd: webDir,
    args: {
      "source (tsx)": ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"],
      "bundle (node)": scriptArgs(webDir, "start:api"),
    },
    portVariable: "API_PORT",
    readyPath: "/api/health",
  },
];

async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return round(kb / 1024, 1);
}

async function measure(subject: Subject, way: Way, env: Record<string, string>) {
  const [port = 0] = await freePorts(1);
  const started = performance.now();
  const child = startProcess(process.execPath, subject.args[way], {
    cwd: subject.cwd,
    env: { ...process.env, ...env, [subject.portVariable]: String(port) },
    keepOutput: 20_000,
  });
  try {
    const url = `http://127.0.0.1:${port}${subject.readyPath}`;
    for (;;) {
      if (!child.running()) throw new Error(`${subject.name} (${way}) exited:\n${child.output()}`);
      const ok = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 60_000)
        throw new Error(`${subject.name} (${way}) not ready after 60 s:\n${child.output()}`);
      await sleep(10);
    }
    const readyMs = Math.round(performance.now() - started);
    const pid = child.child.pid ?? 0;
    const cpuS = await cpuSeconds(pid);
    await sleep(2_000);
    return { process: subject.name, way, readyMs, cpuS, rssMb: await residentMb(pid) };
  } finally {
    await child.stop();
  }
}

await ensureWorkerBundles();
await ensureApiBundle();
const [{ database, vhost, drop }, sink, reportsDir] = await Promise.all([
  benchPlace(),
  startSmtpSink(),
  mkdtemp(path.join(tmpdir(), "userstream-bench-startup-")),
]);
const env = {
  NODE_ENV: "production",
  // The development secrets of .env.example, accepted on loopback only (docs/operations.md).
  USERSTREAM_LOCAL_TRIAL: "1",
  DATABASE_URL: database.url,
  AMQP_URL: vhost.url,
  SMTP_URL: sink.url,
  SMTP_ALLOW_PLAINTEXT: "true",
  REPORTS_DIR: reportsDir,
  REPORT_CRON: "off",
  API_HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
};
type Row = Awaited<ReturnType<typeof measure>>;
const rows: Row[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    for (const subject of SUBJECTS) {
      // Alternating which way goes first, so neither always meets a warmer cache.
      for (const way of run % 2 ? WAYS : [...WAYS].reverse()) {
        rows.push(await measure(subject, way, env));
        const last = rows.at(-1);
        console.log(`run ${run}: ${subject.name}, ${way}: ready in ${last?.readyMs} ms, ${last?.rssMb} MB`);
      }
    }
  }
} finally {
  await sink.close();
  await Promise.all([drop(), rm(reportsDir, { recursive: true, force: true })]);
}
const medians = SUBJECTS.flatMap((subject) =>
  WAYS.map((way) => {
    const mine = rows.filter((row) => row.process === subject.name && row.way === way);
    const median = (key: "readyMs" | "cpuS" | "rssMb") => medianRow(mine, key)[key];
    return { process: subject.name, way, readyMs: median("readyMs"), cpuS: median("cpuS"), rssMb: median("rssMb") };
  }),
);
const totals = Object.fromEntries(
  WAYS.map((way) => [
    way,
    round(
      medians.filter((row) => row.way === way).reduce((sum, row) => sum + row.rssMb, 0),
      1,
    ),
  ]),
);
await report("startup", medians, { runs, samples: rows, totalRssMb: totals });
console.log(
  `medians of ${runs}; resident memory of the four together: ${WAYS.map((way) => `${way} ${totals[way]} MB`).join(", ")}`,
);
