import { QUEUES } from "@userstream/contracts";
import { afterEach, describe, it } from "vitest";
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
        return (await sql("SELECT 1 FROM registrations WHERE id = ANY($1::uuid[]) LIMIT 1", [since])).length > 0;
      },
      { timeoutMs: REJOIN_TIMEOUT_MS, intervalMs: 100, what: "a registration published after the fault stored" },
    ).then(() => Math.round(performance.now() - started));
    // Awaited after the fault; a fault that fails first must not leave it rejecting unheard.
    recovered.catch(() => undefined);
    return recovered;
  }

  /**
   * Scenario `name`: takes a node (`pick`) out of the cluster under the stream, keeps it out until
   * `stayOut` resolves and the system serves again, then brings it back. A paused node is resumed
   * under the stream (its clients may need it to stop serving before they move); a killed or stopped
   * one once the stream has stopped, while the workers drain, so that its restart does not make the
   * stream longer. The figures: how long until the system served again (`recoveredMs`), how long the
   * node was out (`outMs`), and from bringing it back until the cluster was whole (`rejoinedMs`: every
   * node in it, every queue's member on it online).
   */
  async function outAndBack(
    name: string,
    how: "killed" | "stopped" | "paused",
    pick: () => Promise<PrivateRabbit>,
    stayOut: (node: PrivateRabbit) => Promise<unknown> = async () => undefined,
  ) {
    let node: PrivateRabbit | undefined;
    let [out, back] = [0, 0];
    const bringBack = async () => {
      back = performance.now();
      if (node) await cluster().bringBack(node);
    };
    const underLoad = how === "paused";
    await scenario(
      name,
      async (load) => {
        node = await pick();
        const recovered = recovery(load);
        out = performance.now();
        await cluster().takeOut(node, how);
        try {
          await stayOut(node);
        } finally {
          if (underLoad) await bringBack();
        }
        return { recoveredMs: await recovered };
      },
      {
        afterLoad: async () => {
          if (!underLoad) await bringBack();
          await cluster().untilWhole(REJOIN_TIMEOUT_MS);
          return { outMs: Math.round(back - out), rejoinedMs: Math.round(performance.now() - back) };
        },
      },
    );
  }

  // A scenario that failed midway leaves no node out for the next.
  afterEach(async () => {
    for (const node of system.rabbit?.nodes ?? []) await system.rabbit.bringBack(node);
  });

  const leader = () => cluster().leaderOf(QUEUES.registration);

  it("kill -9 the node that leads user.registration, then start it again", async () => {
    await outAndBack("cluster-leader-killed", "killed", leader);
  }, 300_000);

  it("stop a follower of user.registration (stop_app), the one most clients use, then start it again", async () => {
    await outAndBack("cluster-follower-stopped", "stopped", async () => {
      const current = await leader();
      const clients = await cluster().connectionsPerNode();
      const [follower] = cluster()
        .nodes.filter((node) => node !== current)
        .sort((a, b) => (clients.get(b) ?? 0) - (clients.get(a) ?? 0)) as [PrivateRabbit];
      return follower;
    });
  }, 300_000);

  it("pause the node that leads user.registration (SIGSTOP) until the others count it gone, then resume it", async () => {
    // Longer than the tick time: the others declare it down, and once it runs again autoheal has the
    // side with fewer clients restart and rejoin.
    await outAndBack("cluster-leader-paused", "paused", leader, (paused) =>
      waitFor(async () => !(await cluster().connected(paused)), {
        timeoutMs: REJOIN_TIMEOUT_MS,
        intervalMs: 500,
        what: "the paused node counted gone by the others",
      }),
    );
  }, 300_000);
});
