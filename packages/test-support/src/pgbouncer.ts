import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inheritedEnv, pgbouncerBin } from "./env";
import { ownerEnv } from "./owner";
import { onFreePort } from "./ports";
import { startProcess } from "./processes";
import { chownToUser, ownedTempDir } from "./run-as";

/** A PgBouncer of a test's own in front of a PostgreSQL server. */
export interface PrivatePgBouncer {
  port: number;
  /** `databaseUrl` with the pooler's address in place of the server's: the same database and user. */
  urlFor(databaseUrl: string): string;
  /** Stops it at once (open client connections are cut) and removes its folder. */
  remove(): Promise<void>;
}

/**
 * Starts PgBouncer in transaction mode on a free port of its own, with its configuration, log and
 * pid file in a temporary folder (swept with the run that made it), forwarding every database
 * name to the server of `serverUrl` as the user connecting (trust authentication, as on the test
 * servers). `poolSize` server connections per database and user (default 4, below what the
 * processes ask for): clients share server connections, so that any state a session keeps past
 * its transaction shows up in another client's.
 */
export async function startPgBouncer(serverUrl: string, options: { poolSize?: number } = {}): Promise<PrivatePgBouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username) || "postgres";
  return onFreePort(async (port) => {
    const dir = ownedTempDir("userstream-pgbouncer", "postgres");
    const ini = join(dir, "pgbouncer.ini");
    const users = join(dir, "userlist.txt");
    // auth_type trust still needs the user in the auth file.
    writeFileSync(users, `"${user}" ""\n`);
    writeFileSync(
      ini,
      [
        "[databases]",
        `* = host=${server.hostname} port=${server.port || 5432}`,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        `listen_port = ${port}`,
        "unix_socket_dir =",
        "auth_type = trust",
        `auth_file = ${users}`,
        "pool_mode = transaction",
        `default_pool_size = ${options.poolSize ?? 4}`,
        "max_client_conn = 500",
        // A server that is down is tried again after 1 s (default 15), and clients wait at most
        // 5 s for a server connection (default 120), so that an outage is seen as one.
        "server_login_retry = 1",
        "query_wait_timeout = 5",
        `logfile = ${join(dir, "pgbouncer.log")}`,
        `pidfile = ${join(dir, "pgbouncer.pid")}`,
        // It refuses to run as root: started as root (as in CI), it becomes postgres itself, and
        // stays this process's child (runuser would leave it a zombie when signalled).
        ...(process.getuid?.() === 0 ? ["user = postgres"] : []),
        "",
      ].join("\n"),
    );
    for (const file of [ini, users]) chownToUser(file, "postgres");
    const started = startProcess(pgbouncerBin(), [ini], {
      cwd: tmpdir(),
      env: { ...inheritedEnv(), ...ownerEnv() },
      killAfterMs: 5_000,
    });
    const log = () => {
      try {
        return readFileSync(join(dir, "pgbouncer.log"), "utf8");
      } catch {
        return "";
      }
    };
    const remove = async () => {
      await started.stop("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    };
    for (let waited = 0; !log().includes("process up"); waited += 100) {
      if (!started.running() || waited > 10_000) {
        const output = `${started.output()}${log()}`;
        await remove();
        throw new Error(`PgBouncer did not start on port ${port}:\n${output}`);
      }
      await sleep(100);
    }
    const urlFor = (databaseUrl: string) => {
      const url = new URL(databaseUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    };
    return { port, urlFor, remove };
  });
}
