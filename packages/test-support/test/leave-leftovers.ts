// Makes one of each thing a test run leaves when it is killed, owned by this process, prints their
// names as one JSON line, then waits to be killed (or lives on, as a run still going on).
import { execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { testServerUrl } from "../src/env";
import { ownedName, ownedPrefix, ownerEnv } from "../src/index";

const run = promisify(execFile);
const database = ownedName("userstream_test");
const role = ownedName("userstream_test_app");
const vhost = ownedName("userstream-test", "-");
const folder = mkdtempSync(join(tmpdir(), ownedPrefix("userstream-chaos-pg", "-")));

const client = new pg.Client({ connectionString: testServerUrl() });
await client.connect();
await client.query(`CREATE DATABASE "${database}"`);
await client.query(`CREATE ROLE "${role}"`);
await client.end();
await run("rabbitmqctl", ["-q", "add_vhost", vhost]);

const idle = ["-e", "setInterval(() => undefined, 60_000)"];
// A server started for the run (e.g. a worker), marked with its owner.
const marked = spawn(process.execPath, idle, { env: { ...process.env, ...ownerEnv() }, detached: true, stdio: "ignore" });
// A server running from the run's folder (e.g. the chaos suite's PostgreSQL), unmarked.
const inFolder = spawn(process.execPath, [...idle, join(folder, "data")], {
  env: { PATH: process.env.PATH ?? "" },
  detached: true,
  stdio: "ignore",
});
marked.unref();
inFolder.unref();

console.log(JSON.stringify({ database, role, vhost, folder, processes: [marked.pid, inFolder.pid] }));
setInterval(() => undefined, 60_000);
