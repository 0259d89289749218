import pg from "pg";

type Release = (err?: Error | boolean) => void;

/** What `pg-pool`'s `connect` calls back with a client, or with the error that kept it from one. */
type ConnectCallback = (err: Error | undefined, client?: pg.PoolClient, done?: Release) => void;

/**
 * Gives every checked-out client back to the pool, as broken, when its connection dies.
 *
 * Prisma's interactive transactions (through `@prisma/adapter-pg` 6.19) do not release their
 * connection when the server goes away mid-transaction: after a PostgreSQL restart the pool stays
 * full of dead clients and every later query waits forever (the chaos suite's PostgreSQL scenario
 * found this). Releasing a dead client with an error makes the pool drop it and open a new one;
 * a later release of the same checkout is ignored. Listening for the error also keeps it from
 * ending the process: `pg` emits it on a checked-out client, where the pool no longer listens.
 */
function healBrokenCheckout(client: pg.PoolClient): void {
  const release = client.release.bind(client) as Release;
  let released = false;
  const onBroken = (err?: Error) => client.release(err ?? new Error("connection ended"));
  client.release = ((err?: Error | boolean) => {
    if (released) return;
    released = true;
    // A healthy connection goes back to the pool, which listens to its idle clients. A broken one is
    // being dropped, and may still emit the server's "terminating connection" after this: keep
    // listening (onBroken then does nothing), or that error would end the process.
    if (!err) {
      client.removeListener("error", onBroken);
      client.removeListener("end", onBroken);
    }
    release(err);
  }) as typeof client.release;
  client.on("error", onBroken);
  client.on("end", onBroken);
}

/**
 * A `pg` pool whose checked-out clients leave it when their connection dies.
 *
 * Each checkout is watched from the moment the pool hands it out: `pg-pool` calls a callback there
 * and then, while a promise would resolve a turn later. In that turn the rest of the same network
 * read is parsed, and a server shutting down as the connection opens sends its 57P01 in that read:
 * with nobody listening yet, it would end the process.
 */
export function createHealingPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  const connect = pool.connect.bind(pool) as (callback: ConnectCallback) => void;
  const connectHealing = (callback: ConnectCallback) =>
    connect((err, client, done) => {
      if (client) healBrokenCheckout(client);
      callback(err, client, client ? (e?: Error | boolean) => client.release(e) : done);
    });
  pool.connect = ((callback?: ConnectCallback) => {
    if (callback) return connectHealing(callback);
    return new Promise<pg.PoolClient>((resolve, reject) =>
      connectHealing((err, client) => (client ? resolve(client) : reject(err))),
    );
  }) as typeof pool.connect;
  return pool;
}

/**
 * Runs `work` on a connection of `pool` and gives it back; when `work` throws, the connection is
 * dropped rather than reused, whatever state its transaction was left in (open, aborted, or the
 * server gone), and the error is rethrown.
 */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (err) {
    client.release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
