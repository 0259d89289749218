import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "@userstream/test-support";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { capacityFor, DEFAULT_ASSUMPTIONS, singlePlaceLimits, type RegistrationCost } from "./capacity";

// Round figures, so that every expected value below can be worked out by hand.
const cost: RegistrationCost = { api: 300, receiver: 120, sender: 1200, broker: 200, brokerIngest: 160, database: 180 };

describe("capacityFor", () => {
  it("sizes each part for 100,000 registrations a second at 70 % of its cores", () => {
    expect(capacityFor(100_000, cost)).toEqual({
      rate: 100_000,
      apiPods: 172, // 100,000 × 300 µs = 30 cores, / (0.25 × 0.7) = 171.4
      receiverPods: 69, // 12 cores / 0.175 = 68.6
      senderPods: 7_143, // 5 emails in flight / 250 ms = 20 a second a pod: 5,000 pods, / 0.7
      senderBound: "latency", // its CPU alone: 120 cores / (0.5 × 0.7) = 343 pods
      brokerCores: 58, // 200 µs × (1 + 2 followers × 0.5) = 400 µs: 40 cores, / 0.7 = 57.1
      brokerNodes: 15, // 58 / 4 cores
      registrationQueues: 12, // half of 160 µs in the leader: 8 cores, / 0.7 = 11.4
      databaseCores: 26, // 18 cores / 0.7 = 25.7
      oneDatabaseEnough: true,
    });
  });

  it("never plans fewer pods than survive losing one, nor fewer broker nodes than a quorum needs", () => {
    expect(capacityFor(1_000, cost)).toMatchObject({
      apiPods: 2, // 0.3 cores / 0.175 = 1.7
      receiverPods: 2, // 0.12 / 0.175 = 0.7
      brokerCores: 1,
      brokerNodes: 3,
      registrationQueues: 1,
      databaseCores: 1,
    });
  });

  it("lets the sender's CPU set its pods once enough emails are in flight", () => {
    const sizing = capacityFor(100_000, cost, { ...DEFAULT_ASSUMPTIONS, emailsInFlightPerSender: 500 });
    expect(sizing).toMatchObject({ senderPods: 343, senderBound: "cpu" }); // latency: 2,000 a pod, 72 pods
  });

  it("says when one primary is not enough", () => {
    expect(capacityFor(300_000, cost).oneDatabaseEnough).toBe(false); // 54 cores / 0.7 = 77.1 > 64
  });
});

describe("singlePlaceLimits", () => {
  it("gives the rate one registration queue and one primary carry", () => {
    expect(singlePlaceLimits(cost)).toEqual({
      oneQueuePerSecond: 8_750, // 0.7 of a core / 80 µs
      onePrimaryPerSecond: 248_888, // 64 × 0.7 cores / 180 µs
    });
  });
});

/** The objects of one manifest of deploy/kubernetes, read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's body
function manifest(file: string): any[] {
  return parseAllDocuments(readFileSync(path.join(repoRoot, "deploy", "kubernetes", file), "utf8")).map((doc) => doc.toJSON());
}

describe("DEFAULT_ASSUMPTIONS", () => {
  it("size pods as deploy/kubernetes does: CPU requests, the HPAs' target, the fewest replicas", () => {
    const cores = (cpu: string) => (cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu));
    const requested = (file: string) =>
      cores(
        manifest(file).find((object) => object.kind === "Deployment").spec.template.spec.containers[0].resources.requests.cpu,
      );
    expect(requested("api.yaml")).toBe(DEFAULT_ASSUMPTIONS.apiPodCores);
    expect(requested("receiver.yaml")).toBe(DEFAULT_ASSUMPTIONS.receiverPodCores);
    expect(requested("sender.yaml")).toBe(DEFAULT_ASSUMPTIONS.senderPodCores);
    const hpa = manifest("api.yaml").find((object) => object.kind === "HorizontalPodAutoscaler").spec;
    expect(hpa.metrics[0].resource.target.averageUtilization / 100).toBe(DEFAULT_ASSUMPTIONS.utilisation);
    const scaled = manifest("autoscaling.yaml").filter((object) => object.kind === "ScaledObject");
    const fewest = [hpa.minReplicas, ...scaled.map((object) => object.spec.minReplicaCount)];
    expect(fewest).toEqual([DEFAULT_ASSUMPTIONS.minPods, DEFAULT_ASSUMPTIONS.minPods, DEFAULT_ASSUMPTIONS.minPods]);
    expect(manifest("rabbitmq.yaml").find((object) => object.kind === "RabbitmqCluster").spec.replicas).toBe(
      DEFAULT_ASSUMPTIONS.brokerMinNodes,
    );
  });
});
