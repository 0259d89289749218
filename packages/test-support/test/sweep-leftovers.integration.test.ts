import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testServerUrl } from "../src/env";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

interface Leftovers {
  database: string;
  role: string;
  vhost: string;
  folder: string;
  processes: number[];
}

/**
 * A process that makes one of each test resource, as a test run does. It owns them itself: the
 * owner `npm test` hands its processes (USERSTREAM_TEST_OWNER_PID) is not passed on.
 */
async function startRun(): Promise<{ child: ChildProcess; leftovers: Leftovers }> {
  const { USERSTREAM_TEST_OWNER_PID: _runOwner, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "test/leave-leftovers.ts"], {
    cwd: packageDir,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { child, leftovers: JSON.parse(line.toString()) as Leftovers };
}

async function killed(child: ChildProcess) {
  child.kill("SIGKILL");
  await once(child, "exit");
}

/** `pnpm sweep`: the command `npm test` runs first. */
async function sweep(): Promise<string> {
  return (await run(process.execPath, ["--import", "tsx", "src/sweep-leftovers.ts"], { cwd: packageDir })).stdout;
}

async function present(leftovers: Leftovers) {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    const database = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [leftovers.database]);
    const role = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [leftovers.role]);
    const vhosts = (await run("rabbitmqctl", ["-q", "list_vhosts", "name"])).stdout.split("\n").map((line) => line.trim());
    const running = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readStat(pid));
    return {
      database: database.rowCount === 1,
      role: role.rowCount === 1,
      vhost: vhosts.includes(leftovers.vhost),
      folder: existsSync(leftovers.folder),
      processes: leftovers.processes.map(running),
    };
  } finally {
    await client.end();
  }
}

/** A process's /proc stat line; a process that has ended reads as a zombie. */
function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return ") Z ";
  }
}

/** What `present` says once it says `expected`, or after 10 s (a killed process takes a moment to end). */
async function eventually(leftovers: Leftovers, expected: Awaited<ReturnType<typeof present>>) {
  const deadline = Date.now() + 10_000;
  let last = await present(leftovers);
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await present(leftovers);
  }
  return last;
}

const everything = { database: true, role: true, vhost: true, folder: true, processes: [true, true] };
const nothing = { database: false, role: false, vhost: false, folder: false, processes: [false, false] };

describe("the sweep of killed test runs' leftovers", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) await killed(child);
    await sweep();
  });

  it("removes what a killed run left and keeps what a live run owns", async () => {
    const dead = await startRun();
    const live = await startRun();
    children.push(dead.child, live.child);
    await killed(dead.child);
    expect(await present(dead.leftovers)).toEqual(everything);

    const output = await sweep();

    expect(await eventually(dead.leftovers, nothing)).toEqual(nothing);
    expect(output).toContain(`swept database ${dead.leftovers.database}`);
    expect(output).toContain(`swept vhost ${dead.leftovers.vhost}`);
    // The other run is still going on: nothing of it is touched.
    expect(await present(live.leftovers)).toEqual(everything);

    // Once it is gone too, the next sweep takes its leftovers.
    await killed(live.child);
    await sweep();
    expect(await eventually(live.leftovers, nothing)).toEqual(nothing);
  }, 120_000);
});
