import { QUEUES } from "@userstream/contracts";
import { describe, it } from "vitest";
import { startRabbitCluster, waitFor, type PrivateRabbit, type PrivateRabbitCluster } from "@userstream/test-support";
import { scenario, sql, useChaosSystem } from "./harness";
import type { Load } from "./load";

/*
 * The chaos suite's cluster scenarios: the workers and the suite's publisher are given all three
 * nodes of a RabbitMQ cluster (AMQP_URL, comma-separated) and must move to another node when
 * theirs goes; the queues are quorum queues with a member on every node. One node fault each,
 * under the steady stream, each ending with the ledger's check (harness.ts) and the time it took
 * the system to serve again.
 */

/** Three nodes on their own ports (AMQP and Erlang distribution), below the kernel's ephemeral range. */
function startSuiteCluster(): Promise<PrivateRabbitCluster> {
  const amqp = Number(process.env.CHAOS_CLUSTER_AMQP_PORT ?? 25674);
  const dist = Number(process.env.CHAOS_CLUSTER_DIST_PORT ?? 25681);
  return startRabbitCluster({ amqp: [amqp, amqp + 1, amqp + 2], dist: [dist, dist + 1, dist + 2] });
}

/** A node's restart and catching up, or a paused node's return, on a busy two-core machine. */
const REJOIN_TIMEOUT_MS = 120_000;

describe("chaos: a three-node RabbitMQ cluster loses a node", () => {
  const system = useChaosSystem(startSuiteCluster);
  const cluster = () => system.rabbit;

  /**
   * Starts the clock on a fault: resolves with the milliseconds until a registration published
   * after it is stored, i.e. until publishing, the queue and consuming all work again.
   */
  function recovery(load: Load): Promise<number> {
    const publishedBefore = load.sent.size;
    const started = performance.now();
    const recovered = waitFor(
      async () => {
        const since = [...load.sent.keys()].slice(publishedBefore);
        const stored = await sql("SELECT 1 FROM registrations WHERE id = ANY($1::uuid[]) LIMIT 1", [since]);
        return stored.length > 0 && Math.round(performance.now() - started);
      },
      { timeoutMs: REJOIN_TIMEOUT_MS, intervalMs: 100, what: "a registration published after the fault stored" },
    );
    // Awaited after the fault; a fault that fails first must not leave it rejecting unheard.
    recovered.catch(() => undefined);
    return recovered;
  }

  /** Milliseconds from `since` (a node brought back) until the cluster is whole: every node in it, every queue member online. */
  async function wholeAgain(since: number): Promise<number> {
    await cluster().untilWhole(REJOIN_TIMEOUT_MS);
    return Math.round(performance.now() - since);
  }

  /** A node that does not lead `user.registration`. */
  async function follower(): Promise<PrivateRabbit> {
    const leader = await cluster().leaderOf(QUEUES.registration);
    return cluster().nodes.find((node) => node !== leader) as PrivateRabbit;
  }

  it("kill -9 the node that leads user.registration, then start it again", async () => {
    await scenario("cluster-leader-killed", async (load) => {
      const leader = await cluster().leaderOf(QUEUES.registration);
      const recovered = recovery(load);
      await cluster().kill(leader);
      const recoveredMs = await recovered;
      const restarted = performance.now();
      await cluster().startNode(leader);
      return { recoveredMs, rejoinedMs: await wholeAgain(restarted) };
    });
  }, 300_000);

  it("stop a follower of user.registration (stop_app), then start it again", async () => {
    await scenario("cluster-follower-stopped", async (load) => {
      const node = await follower();
      const recovered = recovery(load);
      await cluster().stopApp(node);
      const recoveredMs = await recovered;
      const restarted = performance.now();
      await cluster().startApp(node);
      return { recoveredMs, rejoinedMs: await wholeAgain(restarted) };
    });
  }, 300_000);

  it("pause the node that leads user.registration (SIGSTOP) until the others count it gone, then resume it", async () => {
    await scenario("cluster-leader-paused", async (load) => {
      const leader = await cluster().leaderOf(QUEUES.registration);
      const recovered = recovery(load);
      cluster().pause(leader, true);
      const paused = performance.now();
      let resumed = paused;
      try {
        // Longer than the tick time: the others declare it down (pause_minority then has it stop
        // serving once it runs again, until it has rejoined the majority).
        await waitFor(async () => !(await cluster().runningNodes()).includes(leader.node), {
          timeoutMs: REJOIN_TIMEOUT_MS,
          intervalMs: 500,
          what: "the paused node counted gone by the others",
        });
      } finally {
        cluster().pause(leader, false);
        resumed = performance.now();
      }
      const recoveredMs = await recovered;
      return { pausedMs: Math.round(resumed - paused), recoveredMs, rejoinedMs: await wholeAgain(resumed) };
    });
  }, 300_000);
});
