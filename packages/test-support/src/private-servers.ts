import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { inheritedEnv, postgresBinDir, rabbitBinDir } from "./env";
import { ownedName } from "./owner";
import { asUser, ownedTempDir, userIds } from "./run-as";

// A PostgreSQL cluster and a RabbitMQ node of a test's own, which it may stop, restart and
// configure (TLS, alarms) without touching the shared servers: the chaos suite and the workers'
// TLS and broker-alarm tests.

const run = promisify(execFile);
const PG_BIN = postgresBinDir();
const RABBIT_BIN = rabbitBinDir();

/** PEM files of a server certificate, its key and the CA that signed it. */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Copies the TLS files into a server's folder, readable by its user only (PostgreSQL insists on that for the key). */
function copyTlsFiles(tls: TlsFiles, dir: string, user: string): TlsFiles {
  const copies = { caFile: join(dir, "ca.pem"), certFile: join(dir, "server.pem"), keyFile: join(dir, "server.key") };
  for (const name of ["caFile", "certFile", "keyFile"] as const) {
    copyFileSync(tls[name], copies[name]);
    chmodSync(copies[name], 0o600);
    if (process.getuid?.() === 0) {
      const { uid, gid } = userIds(user);
      chownSync(copies[name], uid, gid);
    }
  }
  return copies;
}

async function runAs(user: string, command: string, args: string[], env: NodeJS.ProcessEnv = inheritedEnv()) {
  const [file, argv] = asUser(user, command, args);
  return run(file, argv, { env, cwd: tmpdir() });
}

/** A migrated database to copy into a new cluster: `testTemplateDatabase()` of @userstream/db/testing. */
export interface TemplateDatabase {
  name: string;
  url: string;
}

/**
 * A PostgreSQL cluster of its own, in a temporary folder, that the caller may stop and start.
 * With `tls`, TCP connections must use TLS (`ssl = on`, `hostssl`) with that certificate. With
 * `template`, that database is copied in under its own name (see `copyTemplate`).
 */
export async function startPostgres(port: number, config: { tls?: TlsFiles; template?: TemplateDatabase } = {}) {
  const dir = ownedTempDir("userstream-chaos-pg", "postgres");
  const data = join(dir, "data");
  await runAs("postgres", join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const tls = config.tls && copyTlsFiles(config.tls, dir, "postgres");
  if (tls) {
    // TCP connections must use TLS (`hostssl`); a plain one is refused.
    const hba = join(data, "pg_hba.conf");
    writeFileSync(hba, readFileSync(hba, "utf8").replace(/^host(\s)/gm, "hostssl$1"));
  }
  const ssl = tls ? ` -c ssl=on -c ssl_cert_file=${tls.certFile} -c ssl_key_file=${tls.keyFile}` : "";
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200${ssl}`;
  const pgCtl = (...args: string[]) => runAs("postgres", join(PG_BIN, "pg_ctl"), ["-D", data, ...args]);
  const start = () => pgCtl("start", "-w", "-l", join(dir, "postgres.log"), "-o", options);
  await start().catch((err: unknown) => {
    const log = readFileSync(join(dir, "postgres.log"), "utf8");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start on port ${port} (already taken?):\n${log}`, { cause: err });
  });
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  if (config.template) await copyTemplate(config.template, url, dir);
  return {
    url,
    /** A fast shutdown: open sessions are ended, as when the server goes away. */
    stop: () => pgCtl("stop", "-w", "-m", "fast"),
    start,
    async remove() {
      await pgCtl("stop", "-w", "-m", "immediate").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type PrivatePostgres = Awaited<ReturnType<typeof startPostgres>>;

/**
 * Copies the run's migrated template database (`npm test` makes one, on the main test server)
 * under the same name into the new cluster, so that `createTestDatabase()` on this cluster copies
 * it too instead of running the Prisma CLI: a dump and restore takes well under a second, a
 * migration several (docs/architecture.md, Testing).
 */
async function copyTemplate(template: TemplateDatabase, clusterUrl: string, dir: string): Promise<void> {
  const dump = join(dir, "template.sql");
  await run(join(PG_BIN, "pg_dump"), ["--dbname", template.url, "--file", dump]);
  const psql = (database: string, ...args: string[]) =>
    run(join(PG_BIN, "psql"), [
      "--quiet",
      "--no-psqlrc",
      "-v",
      "ON_ERROR_STOP=1",
      "--dbname",
      clusterUrl.replace(/\/postgres$/, `/${database}`),
      ...args,
    ]);
  // The name is a plain identifier (testTemplateDatabase checks it).
  await psql("postgres", "--command", `CREATE DATABASE ${template.name}`);
  await psql(template.name, "--file", dump);
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Marks a RabbitMQ node's VM with its folder on its command line, where a sweep finds it (its data folders are only in its environment). */
export const RABBIT_FOLDER_FLAG = "-userstream_folder";

/** What a RabbitMQ node of a test's own is started with. */
export interface RabbitNodeOptions {
  nodePort: number;
  distPort: number;
  /** Also listen for `amqps://` on `tls.port` with this certificate (client certificates not asked). */
  tls?: TlsFiles & { port: number };
  /** More `rabbitmq.conf` lines (e.g. a cluster's partition handling). */
  config?: string[];
  /** The Erlang distribution's tick time in seconds, for the node and for `rabbitmqctl` (which must agree). */
  netTicktime?: number;
}

/**
 * A RabbitMQ node of its own (own node name, ports, data and log folders, no plugins) that the
 * caller may stop and start, kill and pause; `rabbitmqctl -n <node>` only ever addresses this node.
 * Several such nodes form a cluster (`startRabbitCluster`): they share the Erlang cookie of the
 * user they run as.
 */
export async function startRabbit(options: RabbitNodeOptions) {
  const dir = ownedTempDir("userstream-chaos-rabbit", "rabbitmq");
  const node = `${ownedName("userstream-chaos", "-")}@localhost`;
  const files = {
    conf: join(dir, "rabbitmq.conf"),
    plugins: join(dir, "enabled_plugins"),
    envConf: join(dir, "rabbitmq-env.conf"),
  };
  const tls = options.tls && copyTlsFiles(options.tls, dir, "rabbitmq");
  const sslConf = tls
    ? [
        `listeners.ssl.default = 127.0.0.1:${options.tls?.port}`,
        `ssl_options.cacertfile = ${tls.caFile}`,
        `ssl_options.certfile = ${tls.certFile}`,
        `ssl_options.keyfile = ${tls.keyFile}`,
        "ssl_options.verify = verify_none",
        "ssl_options.fail_if_no_peer_cert = false",
      ]
    : [];
  const ticktime = options.netTicktime === undefined ? [] : [`net_ticktime = ${options.netTicktime}`];
  const conf = [`listeners.tcp.local = 127.0.0.1:${options.nodePort}`, "loopback_users = none", ...sslConf, ...ticktime];
  writeFileSync(files.conf, [...conf, ...(options.config ?? []), ""].join("\n"));
  writeFileSync(files.plugins, "[].\n");
  writeFileSync(files.envConf, "");
  for (const sub of ["mnesia", "log"]) mkdirSync(join(dir, sub));
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds("rabbitmq");
    for (const path of [...Object.values(files), join(dir, "mnesia"), join(dir, "log")]) chownSync(path, uid, gid);
  }
  const pidFile = join(dir, "mnesia", "server.pid");
  const env = {
    ...inheritedEnv(),
    RABBITMQ_NODENAME: node,
    RABBITMQ_CONF_ENV_FILE: files.envConf,
    RABBITMQ_CONFIG_FILE: files.conf,
    RABBITMQ_ENABLED_PLUGINS_FILE: files.plugins,
    RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: join(dir, "log"),
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_NODE_PORT: String(options.nodePort),
    RABBITMQ_DIST_PORT: String(options.distPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `${RABBIT_FOLDER_FLAG} ${dir}`,
    // A CLI tool's connection to the node ticks as the node does, or a long command is cut off.
    ...(options.netTicktime === undefined ? {} : { RABBITMQ_CTL_ERL_ARGS: `-kernel net_ticktime ${options.netTicktime}` }),
    ERL_EPMD_ADDRESS: "127.0.0.1",
  };
  const ctl = (...args: string[]) => runAs("rabbitmq", join(RABBIT_BIN, "rabbitmqctl"), ["-q", "-n", node, ...args], env);
  const serverOutput = () => readFileSync(join(dir, "server.out"), "utf8").slice(-4_000);

  /** The node's VM (beam.smp), which signals reach: it writes its pid file as it boots. */
  const vmPid = () => Number(readFileSync(pidFile, "utf8").trim());
  /** Signals the VM if it runs (a clean-up: not booted far enough to write its pid file, or gone already, is fine). */
  const signalVm = (signal: NodeJS.Signals) => {
    try {
      process.kill(vmPid(), signal);
    } catch {
      // nothing to signal
    }
  };

  /** Starts the server (its VM a grandchild: runuser, then the rabbitmq-server script) and waits until it serves. */
  async function boot() {
    const log = openSync(join(dir, "server.out"), "a");
    const [file, argv] = asUser("rabbitmq", join(RABBIT_BIN, "rabbitmq-server"), []);
    const server = spawn(file, argv, { env, cwd: tmpdir(), stdio: ["ignore", log, log] });
    const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
    // `await_startup` needs the node to be known to epmd first.
    for (let tries = 0; ; tries++) {
      try {
        await ctl("await_startup", "--timeout", "60");
        return { server, exited };
      } catch (err) {
        if (tries > 60 || !isRunning(server)) {
          if (isRunning(server)) {
            signalVm("SIGKILL");
            server.kill("SIGKILL");
          }
          // The server's own words (e.g. `eaddrinuse`) tell a caller whether another port may help.
          throw new Error(`RabbitMQ node ${node} did not start:\n${serverOutput()}`, { cause: err });
        }
        await sleep(500);
      }
    }
  }

  let running = await boot().catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });

  return {
    node,
    /** The node's temporary folder (data, logs, configuration). */
    dir,
    url: `amqp://guest:guest@127.0.0.1:${options.nodePort}`,
    /** The `amqps://` address of the TLS listener (when started with `tls`). */
    tlsUrl: options.tls && `amqps://guest:guest@localhost:${options.tls.port}`,
    ctl,
    /** Stops the broker application (every connection drops), keeping the node and its data. */
    stopApp: () => ctl("stop_app"),
    startApp: async () => {
      await ctl("start_app");
      await ctl("await_startup", "--timeout", "60");
    },
    /** Sends `signal` to the node's VM: SIGSTOP pauses it (as a cut network would, to its peers), SIGCONT resumes it. */
    signal: (signal: "SIGSTOP" | "SIGCONT") => process.kill(vmPid(), signal),
    /** kill -9 of the node's VM: no shutdown runs. Resolves once it is gone; `startNode` starts it again. */
    async kill() {
      process.kill(vmPid(), "SIGKILL");
      await running.exited;
      // Stale now: the next boot writes its own, and nothing may signal the old pid meanwhile.
      rmSync(pidFile, { force: true });
    },
    /** Starts the node again after `kill`, on its data (a cluster's node rejoins its cluster), and waits until it serves. */
    async startNode() {
      running = await boot();
    },
    /** Total messages (ready and unacknowledged) in each queue. */
    async queueDepths(): Promise<Record<string, number>> {
      const { stdout } = await ctl("list_queues", "--no-table-headers", "name", "messages");
      return Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => {
            const [name = "", count = "0"] = line.trim().split(/\s+/);
            return [name, Number(count)];
          }),
      );
    },
    async remove() {
      const { server, exited } = running;
      if (isRunning(server)) {
        signalVm("SIGCONT"); // a paused node would not answer its stop
        await ctl("stop").catch(() => undefined);
        await Promise.race([exited, sleep(15_000)]);
      }
      if (isRunning(server)) {
        signalVm("SIGKILL");
        server.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type PrivateRabbit = Awaited<ReturnType<typeof startRabbit>>;
