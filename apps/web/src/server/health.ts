import "server-only";
import { connect } from "amqplib";
import { env } from "~/env";
import { getDb } from "./db";
import { getLogger } from "./logger";
import { getPublisher } from "./publisher";

/** As the workers' /readyz says it. Why a check failed goes to the log, not to the caller. */
type CheckState = "up" | "down";

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function run(check: () => Promise<unknown>, what: string): Promise<CheckState> {
  try {
    await withTimeout(check(), what);
    return "up";
  } catch (error) {
    const message = error instanceof Error ? error.message.trim().split("\n").at(-1) : String(error);
    getLogger().error({ check: what, error: message }, "health check failed");
    return "down";
  }
}

async function checkDatabase(): Promise<void> {
  await getDb().$queryRaw`SELECT 1`;
}

/**
 * The publisher connects lazily, so an idle app may have no connection yet: then open (and close)
 * a short-lived one with the publisher's URL to prove the broker would accept it.
 */
async function checkBroker(): Promise<void> {
  if (getPublisher().isConnected()) return;
  const connection = await connect(env.AMQP_URL, { timeout: CHECK_TIMEOUT_MS });
  await connection.close();
}

/** What `/api/health` answers: each dependency's state, and `ok` only when all are. */
export async function checkHealth() {
  const [database, broker] = await Promise.all([run(checkDatabase, "database"), run(checkBroker, "broker")]);
  const status = database === "up" && broker === "up" ? "ok" : "error";
  return { status, checks: { database, broker } } as const;
}
