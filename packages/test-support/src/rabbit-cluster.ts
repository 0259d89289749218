import { startRabbit, type PrivateRabbit } from "./private-servers";
import { waitFor } from "./wait";

/**
 * How every node of a test cluster is configured, as production should be (docs/operations.md,
 * "A RabbitMQ cluster"). `autoheal`: once a partition is over, the side with fewer clients restarts
 * and rejoins by itself. Measured on RabbitMQ 3.10.8 with a node paused by SIGSTOP past the tick
 * time: under `autoheal` the cluster was whole 6 s after SIGCONT; under `pause_minority` the resumed
 * node reconnected before it counted its peers, never paused, and the cluster stayed split (as under
 * the default `ignore`) for as long as it was watched (70 s). A 10 s tick (the default is 60 s) has
 * the others notice a silent node that soon.
 */
export const RABBIT_CLUSTER_SETTINGS = { partitionHandling: "autoheal", netTicktimeSeconds: 10 } as const;

/** What the cluster helpers know of a node: only a node left running is asked anything. */
type NodeState = "running" | "stopped" | "killed" | "paused";

interface QueueMembers {
  name: string;
  leader: string;
  members: string[];
  online: string[];
}

/**
 * A RabbitMQ cluster of a test's own on this machine: one node per AMQP port (each with its own
 * node name, distribution port and folder, started by `startRabbit`), the second and later ones
 * joined to the first with `rabbitmqctl join_cluster`. Declare queues only once it has formed: a
 * quorum queue then has a member on every node.
 */
export async function startRabbitCluster(ports: { amqp: number[]; dist: number[] }) {
  const started = await Promise.allSettled(
    ports.amqp.map((nodePort, index) =>
      startRabbit({
        nodePort,
        distPort: ports.dist[index] as number,
        netTicktime: RABBIT_CLUSTER_SETTINGS.netTicktimeSeconds,
        config: [`cluster_partition_handling = ${RABBIT_CLUSTER_SETTINGS.partitionHandling}`],
      }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const remove = () => Promise.all(nodes.map((node) => node.remove())).then(() => undefined);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await remove();
    throw failed.reason;
  }
  const [first, ...others] = nodes as [PrivateRabbit, ...PrivateRabbit[]];
  try {
    for (const node of others) {
      await node.stopApp();
      await node.ctl("join_cluster", first.node);
      await node.startApp();
    }
  } catch (err) {
    await remove();
    throw err;
  }

  const states = new Map<PrivateRabbit, NodeState>(nodes.map((node) => [node, "running"]));

  /** `rabbitmqctl` on the first node left running that answers (a node that paused itself may not). */
  async function ctl(...args: string[]) {
    const errors: unknown[] = [];
    for (const node of nodes.filter((candidate) => states.get(candidate) === "running")) {
      try {
        return await node.ctl(...args);
      } catch (err) {
        errors.push(err);
      }
    }
    throw new AggregateError(errors, `no node of the cluster answered rabbitmqctl ${args.join(" ")}`);
  }

  /** The nodes the cluster counts running now, and the partitions it has seen, as one of them tells it. */
  async function clusterStatus(): Promise<{ running_nodes: string[]; partitions: Record<string, unknown> }> {
    return JSON.parse((await ctl("cluster_status", "--formatter", "json")).stdout) as {
      running_nodes: string[];
      partitions: Record<string, unknown>;
    };
  }

  async function queueMembers(): Promise<QueueMembers[]> {
    const { stdout } = await ctl("list_queues", "--formatter", "json", "name", "leader", "members", "online");
    return JSON.parse(stdout) as QueueMembers[];
  }

  return {
    nodes,
    /** Every node's address, comma-separated: `AMQP_URL` for a process that should move to another node when its own goes. */
    url: nodes.map((node) => node.url).join(","),
    ctl,
    /**
     * Whether the other nodes still count `node` connected (Erlang's `nodes()` on one of them): a paused
     * node drops out once the tick time has passed. Unlike `cluster_status`, which waits on every node.
     */
    async connected(node: PrivateRabbit): Promise<boolean> {
      return (await ctl("eval", "nodes().")).stdout.includes(node.node);
    },
    /** The node that leads quorum queue `queue` now. */
    async leaderOf(queue: string): Promise<PrivateRabbit> {
      const leader = (await queueMembers()).find((entry) => entry.name === queue)?.leader;
      const node = nodes.find((candidate) => candidate.node === leader);
      if (!node) throw new Error(`queue ${queue} has no leader among the cluster's nodes (${leader ?? "none"})`);
      return node;
    },
    /** How many client connections each node holds now. */
    async connectionsPerNode(): Promise<Map<PrivateRabbit, number>> {
      // A connection's process id names its node: <node.N.M>.
      const { stdout } = await ctl("list_connections", "pid");
      return new Map(nodes.map((node) => [node, stdout.split(`<${node.node}.`).length - 1]));
    },
    /**
     * Takes `node` out of the cluster: kill -9 of its VM (`killed`), `rabbitmqctl stop_app` (`stopped`:
     * the node stays, its broker stops and its clients' connections drop), or SIGSTOP of its VM
     * (`paused`: to the others, as if its network were cut).
     */
    async takeOut(node: PrivateRabbit, how: Exclude<NodeState, "running">) {
      states.set(node, how);
      if (how === "killed") await node.kill();
      else if (how === "stopped") await node.stopApp();
      else node.signal("SIGSTOP");
    },
    /** Brings `node` back as it was taken out: started again on its data, its broker started, or resumed (SIGCONT). */
    async bringBack(node: PrivateRabbit) {
      const how = states.get(node);
      if (how === "killed") await node.startNode();
      else if (how === "stopped") await node.startApp();
      else if (how === "paused") node.signal("SIGCONT");
      states.set(node, "running");
    },
    /**
     * Waits until the cluster is whole again: every node running in it and every queue with a member
     * online on each node (a rejoined node's members have caught up with their leaders).
     */
    async untilWhole(timeoutMs: number) {
      await waitFor(
        async () => {
          const status = await clusterStatus();
          // A partition seen and not healed yet leaves the cluster split, whatever runs.
          if (status.running_nodes.length !== nodes.length || Object.keys(status.partitions).length > 0) return false;
          return (await queueMembers()).every((queue) => queue.online.length === nodes.length);
        },
        { timeoutMs, intervalMs: 500, what: "every node back in the cluster, every queue member online" },
      );
    },
    /** Total messages (ready and unacknowledged) in each queue. */
    async queueDepths(): Promise<Record<string, number>> {
      const { stdout } = await ctl("list_queues", "--formatter", "json", "name", "messages");
      return Object.fromEntries((JSON.parse(stdout) as { name: string; messages: number }[]).map((q) => [q.name, q.messages]));
    },
    remove,
  };
}
export type PrivateRabbitCluster = Awaited<ReturnType<typeof startRabbitCluster>>;
