// The capacity model of docs/scaling.md: from the CPU one registration costs each part (as the
// benchmarks measure it), what a given rate of registrations needs. CPU only: memory, disk and
// network are left to the notes in docs/scaling.md.

/** CPU µs one registration costs each part, its welcome email included. */
export interface RegistrationCost {
  /** The API server accepting it (POST /api/v1/registrations, with the shared limit). */
  api: number;
  /** The receiver storing it and handing its welcome email on. */
  receiver: number;
  /** The sender delivering its welcome email. */
  sender: number;
  /** RabbitMQ: the registration's message and its email's, on one node. */
  broker: number;
  /** RabbitMQ's part in storing it (user.registration in, the hand-off out): where the busiest queue's leader works. */
  brokerIngest: number;
  /** PostgreSQL: the limit's row, the registration's rows and the email's claim and record. */
  database: number;
}

/** What the model takes as given: each is written next to the figures it produces. */
export interface Assumptions {
  /** CPU request of one API server pod, in cores (deploy/kubernetes/api.yaml). */
  apiPodCores: number;
  /** CPU request of one receiver pod (deploy/kubernetes/receiver.yaml). */
  receiverPodCores: number;
  /** CPU request of one sender pod (deploy/kubernetes/sender.yaml). */
  senderPodCores: number;
  /** Fewest pods of each, so that losing one leaves the service up (the manifests' minimum replicas). */
  minPods: number;
  /** Share of its cores anything is planned to use (the HPAs' target): the rest absorbs bursts and a lost replica. */
  utilisation: number;
  /** Cores of one RabbitMQ node. */
  brokerNodeCores: number;
  /** Nodes a quorum queue needs to survive one lost node. */
  brokerMinNodes: number;
  /** Followers of each quorum queue (a three-node cluster: two). */
  followers: number;
  /**
   * The broker CPU of each message spent again on each follower of its quorum queue (the
   * benchmarks run one node, where a queue has no followers).
   */
  followerShare: number;
  /**
   * Share of the broker's CPU in storing a registration (`brokerIngest`) spent in the leader of the
   * busiest queue, user.registration: a quorum queue's leader is one Erlang process, so one core at most.
   */
  busiestQueueShare: number;
  /** The largest PostgreSQL primary considered, in cores: every write goes through it. */
  databaseMaxCores: number;
  /** Emails one sender has at the provider at once: the smaller of SMTP_POOL_SIZE and SENDER_PREFETCH. */
  emailsInFlightPerSender: number;
  /** How long the provider takes to accept one email (the benchmarks' local sink takes about nothing). */
  providerLatencyMs: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  apiPodCores: 0.25,
  receiverPodCores: 0.25,
  senderPodCores: 0.5,
  minPods: 2,
  utilisation: 0.7,
  brokerNodeCores: 4,
  brokerMinNodes: 3,
  followers: 2,
  followerShare: 0.5,
  busiestQueueShare: 0.5,
  databaseMaxCores: 64,
  emailsInFlightPerSender: 5,
  providerLatencyMs: 250,
};

/** What `rate` registrations a second need. */
export interface Capacity {
  rate: number;
  apiPods: number;
  receiverPods: number;
  senderPods: number;
  /** What sets the sender pods: their CPU, or the emails they can have in flight times the provider's latency. */
  senderBound: "cpu" | "latency";
  brokerCores: number;
  brokerNodes: number;
  /** user.registration queues (shards behind a consistent-hash exchange) so that no leader passes its planned share of a core. */
  registrationQueues: number;
  databaseCores: number;
  /** Whether one primary of `databaseMaxCores` carries it. */
  oneDatabaseEnough: boolean;
}

/** Cores `rate` registrations a second keep busy at `us` µs each, planned at the assumed utilisation. */
function plannedCores(rate: number, us: number, assumptions: Assumptions): number {
  return (rate * us) / 1e6 / assumptions.utilisation;
}

/** Whole units of `size` cores that hold `cores` (at least one); float noise (20.000000000004) does not round up. */
function unitsOf(cores: number, size: number): number {
  return Math.max(1, Math.ceil(Number((cores / size).toFixed(6))));
}

/** The broker CPU per registration once each message is also kept by the followers of its queue. */
function clusteredBrokerUs(cost: RegistrationCost, assumptions: Assumptions): number {
  return cost.broker * (1 + assumptions.followers * assumptions.followerShare);
}

export function capacityFor(rate: number, cost: RegistrationCost, assumptions: Assumptions = DEFAULT_ASSUMPTIONS): Capacity {
  const pods = (us: number, podCores: number) =>
    Math.max(assumptions.minPods, unitsOf(plannedCores(rate, us, assumptions), podCores));
  const senderCpuPods = pods(cost.sender, assumptions.senderPodCores);
  const emailsPerSenderPerSecond = (assumptions.emailsInFlightPerSender * 1000) / assumptions.providerLatencyMs;
  const senderLatencyPods = unitsOf(rate / emailsPerSenderPerSecond / assumptions.utilisation, 1);
  const brokerCores = unitsOf(plannedCores(rate, clusteredBrokerUs(cost, assumptions), assumptions), 1);
  const databaseCores = unitsOf(plannedCores(rate, cost.database, assumptions), 1);
  return {
    rate,
    apiPods: pods(cost.api, assumptions.apiPodCores),
    receiverPods: pods(cost.receiver, assumptions.receiverPodCores),
    senderPods: Math.max(senderCpuPods, senderLatencyPods),
    senderBound: senderCpuPods >= senderLatencyPods ? "cpu" : "latency",
    brokerCores,
    brokerNodes: Math.max(assumptions.brokerMinNodes, unitsOf(brokerCores, assumptions.brokerNodeCores)),
    registrationQueues: unitsOf(plannedCores(rate, cost.brokerIngest * assumptions.busiestQueueShare, assumptions), 1),
    databaseCores,
    oneDatabaseEnough: databaseCores <= assumptions.databaseMaxCores,
  };
}

/** Where the single-place bounds sit: the rate one user.registration queue and one primary carry at the planned utilisation. */
export function singlePlaceLimits(cost: RegistrationCost, assumptions: Assumptions = DEFAULT_ASSUMPTIONS) {
  return {
    oneQueuePerSecond: Math.floor((assumptions.utilisation * 1e6) / (cost.brokerIngest * assumptions.busiestQueueShare)),
    onePrimaryPerSecond: Math.floor((assumptions.databaseMaxCores * assumptions.utilisation * 1e6) / cost.database),
  };
}
