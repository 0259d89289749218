import { DEFAULT_SEND_AGAIN_LIMITS } from "@userstream/contracts";
import type { Prisma } from "@userstream/db";

/** How often an email may be sent again: per address and per client address alike. */
export interface SendAgainLimits {
  /** At most one send again within this many minutes (`SEND_AGAIN_COOLDOWN_MINUTES`). */
  cooldownMinutes: number;
  /** At most this many within 24 hours (`SEND_AGAIN_DAILY_LIMIT`). */
  dailyLimit: number;
}

export { DEFAULT_SEND_AGAIN_LIMITS };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

type Limit = "cooldown" | "daily";
type Scope = "address" | "client";

/** Refused by a send-again limit: when the next one would be allowed, and which limit said no. */
export class SendAgainRefusedError extends Error {
  constructor(
    readonly retryAt: Date,
    readonly limit: Limit,
    readonly scope: Scope,
    now: Date,
  ) {
    super(refusalMessage(retryAt, limit, scope, now));
    this.name = "SendAgainRefusedError";
  }
}

function refusalMessage(retryAt: Date, limit: Limit, scope: Scope, now: Date): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / MINUTE_MS));
  const when = `${retryAt.toISOString().slice(11, 16)} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"})`;
  const what =
    scope === "client"
      ? "Emails were sent again from your network too often."
      : limit === "cooldown"
        ? "The email was sent again to this address a moment ago."
        : "The email has been sent again to this address as often as allowed today.";
  return `${what} Nothing was sent. You can ask again at ${when}.`;
}

/** Which requests count against one limit: those for one email (or registration), or from one client. */
export type SendAgainCounter =
  | { scope: "address"; where: { notificationId: string } | { registrationId: string } }
  | { scope: "client"; where: { clientKey: string } };

/** Holds concurrent checks of one counter apart until the transaction ends, on every web instance. */
async function lockCounter(tx: Prisma.TransactionClient, counter: SendAgainCounter): Promise<void> {
  const key = `send-again:${JSON.stringify(counter.where)}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/**
 * Throws SendAgainRefusedError when one more send for any of `counters` would break `limits` at
 * `now`; otherwise returns with the counters locked until `tx` ends, so the request row the caller
 * then records is seen by the next check on any instance. Counters are locked in the order given
 * (address before client, everywhere), so two checks never wait for each other in a circle.
 */
export async function checkSendAgainLimits(
  tx: Prisma.TransactionClient,
  counters: SendAgainCounter[],
  limits: SendAgainLimits,
  now: Date,
): Promise<void> {
  for (const counter of counters) {
    await lockCounter(tx, counter);
    const recent = await tx.emailSendRequest.findMany({
      where: { ...counter.where, createdAt: { gt: new Date(now.getTime() - DAY_MS), lte: now } },
      orderBy: { createdAt: "desc" },
      take: limits.dailyLimit,
      select: { createdAt: true },
    });
    const latest = recent[0]?.createdAt;
    // The oldest of the day's last `dailyLimit` sends: a slot frees 24 hours after it.
    const oldest = recent.length >= limits.dailyLimit ? recent.at(-1)?.createdAt : undefined;
    const ends: { limit: Limit; at: Date }[] = [];
    if (oldest) ends.push({ limit: "daily", at: new Date(oldest.getTime() + DAY_MS) });
    if (latest) ends.push({ limit: "cooldown", at: new Date(latest.getTime() + limits.cooldownMinutes * MINUTE_MS) });
    // Of two limits in force, the one that lasts longer is the one to wait for.
    const last = ends.filter((end) => end.at > now).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    if (last) throw new SendAgainRefusedError(last.at, last.limit, counter.scope, now);
  }
}
