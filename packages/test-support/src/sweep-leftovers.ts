// Removes what killed test runs left behind: test databases and roles on the test server, RabbitMQ
// test vhosts, the chaos suite's PostgreSQL clusters and RabbitMQ nodes and clusters (processes and folders)
// and the servers a test started. Only what provably belongs to a process that is gone: other
// runs on this machine may be going on now (see owner.ts). `pnpm test:sweep`, at the start of `npm test`.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { testServerUrl } from "./env";
import { OWNER_VARIABLE, ownerOfName, ownerOfTag, ownerState } from "./owner";

const run = promisify(execFile);

/** What a sweep removed, by kind. */
export interface Swept {
  processes: number[];
  folders: string[];
  databases: string[];
  roles: string[];
  vhosts: string[];
  /** What could not be removed, with the reason (the sweep goes on). */
  problems: string[];
}

const isLeftover = (name: string) => {
  const owner = ownerOfName(name);
  return owner !== undefined && ownerState(owner) === "gone";
};

function processIds(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

function readProc(pid: number, file: "environ" | "cmdline"): string[] {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0");
  } catch {
    return []; // ended meanwhile, or not ours to read
  }
}

function kill(pid: number, swept: Swept) {
  try {
    process.kill(pid, "SIGKILL");
    swept.processes.push(pid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") swept.problems.push(`process ${pid}: ${(error as Error).message}`);
  }
}

/** Servers a test started (marked with USERSTREAM_TEST_OWNER) whose owner is gone. */
function sweepProcesses(swept: Swept) {
  const prefix = `${OWNER_VARIABLE}=`;
  for (const pid of processIds()) {
    const tag = readProc(pid, "environ").find((variable) => variable.startsWith(prefix));
    const owner = tag && ownerOfTag(tag.slice(prefix.length));
    if (owner && ownerState(owner) === "gone") kill(pid, swept);
  }
}

/** The chaos suite's clusters and nodes: every process running from a leftover folder, then the folder. */
function sweepFolders(swept: Swept) {
  const folders = readdirSync(tmpdir())
    .filter((name) => name.startsWith("userstream-") && isLeftover(name))
    .map((name) => join(tmpdir(), name));
  for (const folder of folders) {
    // PostgreSQL's postmaster (`-D <folder>/data`) and RabbitMQ's VM (`-userstream_folder <folder>`,
    // RABBIT_FOLDER_FLAG: its data folders are only in its environment) name the folder on their
    // command lines, every node of a cluster alike; PostgreSQL's backends end when their postmaster
    // is gone, the RabbitMQ server script that waits on a VM when the VM is.
    for (const pid of processIds()) {
      if (readProc(pid, "cmdline").some((arg) => arg.includes(folder))) kill(pid, swept);
    }
    rmSync(folder, { recursive: true, force: true });
    swept.folders.push(folder);
  }
}

async function sweepDatabase(swept: Swept) {
  const client = new pg.Client({ connectionString: testServerUrl() });
  try {
    await client.connect();
  } catch (error) {
    swept.problems.push(`test database server: ${(error as Error).message}`);
    return;
  }
  try {
    const databases = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'userstream%'");
    for (const { datname } of databases.rows.filter((row) => isLeftover(row.datname))) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).then(
        () => swept.databases.push(datname),
        (error: Error) => swept.problems.push(`database ${datname}: ${error.message}`),
      );
    }
    // After the databases: a role cannot be dropped while it owns one.
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE 'userstream%'");
    for (const { rolname } of roles.rows.filter((row) => isLeftover(row.rolname))) {
      await client.query(`DROP ROLE IF EXISTS "${rolname}"`).then(
        () => swept.roles.push(rolname),
        (error: Error) => swept.problems.push(`role ${rolname}: ${error.message}`),
      );
    }
  } finally {
    await client.end();
  }
}

async function sweepVhosts(swept: Swept) {
  let names: string[];
  try {
    names = (await run("rabbitmqctl", ["-q", "list_vhosts", "name"])).stdout.split("\n").map((line) => line.trim());
  } catch (error) {
    swept.problems.push(`rabbitmqctl list_vhosts: ${(error as Error).message}`);
    return;
  }
  for (const vhost of names.filter((name) => name.startsWith("userstream") && isLeftover(name))) {
    await run("rabbitmqctl", ["-q", "delete_vhost", vhost]).then(
      () => swept.vhosts.push(vhost),
      (error: Error) => swept.problems.push(`vhost ${vhost}: ${error.message}`),
    );
  }
}

/** Removes every leftover of a test process that is gone; returns what it removed. */
export async function sweepTestLeftovers(): Promise<Swept> {
  const swept: Swept = { processes: [], folders: [], databases: [], roles: [], vhosts: [], problems: [] };
  // Processes first, so that none holds a database, a vhost or a folder while it is removed.
  sweepProcesses(swept);
  sweepFolders(swept);
  await sweepDatabase(swept);
  await sweepVhosts(swept);
  return swept;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const swept = await sweepTestLeftovers();
  const removed = [
    ...swept.databases.map((name) => `database ${name}`),
    ...swept.roles.map((name) => `role ${name}`),
    ...swept.vhosts.map((name) => `vhost ${name}`),
    ...swept.folders.map((name) => `folder ${name}`),
    ...swept.processes.map((pid) => `process ${pid}`),
  ];
  for (const line of removed) console.log(`swept ${line}`);
  for (const line of swept.problems) console.warn(`could not sweep: ${line}`);
  console.log(`test leftovers of killed runs: ${removed.length} removed`);
}
