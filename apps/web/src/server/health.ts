import "server-only";
import { connectToBroker } from "@userstream/messaging";
import { runChecks } from "@userstream/runtime";
import { env } from "~/env";
import { getDb } from "./db";
import { getLogger } from "./logger";
import { getPublisher } from "./publisher";

const CHECK_TIMEOUT_MS = 3_000;

async function checkDatabase(): Promise<void> {
  await getDb().$queryRaw`SELECT 1`;
}

/**
 * The publisher connects lazily, so an idle app may have no connection yet: then open (and close)
 * a short-lived one with the publisher's URL to prove the broker would accept it (any node of a
 * cluster's list: the publisher would move to it too).
 */
async function checkBroker(): Promise<void> {
  if (getPublisher().isConnected()) return;
  const connection = await connectToBroker(env.AMQP_URL, CHECK_TIMEOUT_MS);
  await connection.close();
}

/** Why a check failed goes to the log, not to the caller. */
function logDown(check: string, reason: unknown): void {
  const error = reason instanceof Error ? reason.message.trim().split("\n").at(-1) : String(reason);
  getLogger().error({ check, error }, "health check failed");
}

/** What `/api/health` answers: each dependency's state (as the workers' /readyz says it), and `ok` only when all are up. */
export async function checkHealth() {
  const checks = await runChecks({ database: checkDatabase, broker: checkBroker }, CHECK_TIMEOUT_MS, logDown);
  const status = checks.database === "up" && checks.broker === "up" ? "ok" : "error";
  return { status, checks } as const;
}
