/**
 * deploy/kubernetes, offline: every object validates against its schema (Kubernetes', KEDA's,
 * CloudNativePG's, the RabbitMQ Cluster Operator's CRD) and agrees with the code it deploys.
 * kubernetes-checks.test.ts shows that each check catches what it is for.
 */
import { describe, expect, it } from "vitest";
import { availabilityProblems, queueProblems, workloadProblems } from "./kubernetes-checks";
import { applySteps, loadManifests, schemaProblems } from "./kubernetes-manifests";
import { networkProblems, orderProblems, secretProblems } from "./kubernetes-policy-checks";

describe("the Kubernetes manifests", () => {
  const manifests = loadManifests();
  const find = (kind: string, name: string) =>
    manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);

  it("parse and validate against their schemas, all in the userstream namespace", () => {
    expect(manifests.flatMap(schemaProblems)).toEqual([]);
    const namespaced = manifests.filter((manifest) => manifest.kind !== "Namespace");
    expect(
      namespaced.filter((manifest) => manifest.metadata.namespace !== "userstream").map((manifest) => manifest.file),
    ).toEqual([]);
    // Everything the issue asks for is there, each kind validated above.
    const kinds = new Set(manifests.map((manifest) => `${manifest.apiVersion} ${manifest.kind}`));
    for (const kind of [
      "apps/v1 Deployment",
      "batch/v1 Job",
      "v1 Service",
      "networking.k8s.io/v1 Ingress",
      "networking.k8s.io/v1 NetworkPolicy",
      "policy/v1 PodDisruptionBudget",
      "autoscaling/v2 HorizontalPodAutoscaler",
      "keda.sh/v1alpha1 ScaledObject",
      "rabbitmq.com/v1beta1 RabbitmqCluster",
      "postgresql.cnpg.io/v1 Cluster",
      "postgresql.cnpg.io/v1 Pooler",
    ])
      expect(kinds, kind).toContain(kind);
  });

  it("run the broker on three nodes, the database on three instances behind PgBouncer in transaction mode", () => {
    expect(find("RabbitmqCluster", "rabbitmq")?.spec.replicas).toBe(3);
    expect(find("Cluster", "postgres")?.spec.instances).toBe(3);
    expect(find("Pooler", "pgbouncer")?.spec).toMatchObject({
      cluster: { name: "postgres" },
      type: "rw",
      pgbouncer: { poolMode: "transaction" },
    });
  });

  it("run each process as its image and environment say: ports, probes, variables, non-root, read-only", () => {
    expect(workloadProblems(manifests)).toEqual([]);
  });

  it("scale the receiver and the sender on their contract's queue, the web and the API on CPU, each with a disruption budget", () => {
    expect(queueProblems(manifests)).toEqual([]);
    expect(availabilityProblems(manifests)).toEqual([]);
  });

  it("hand every secret over as a file of the template, which holds no value, and hold no secret themselves", () => {
    expect(secretProblems(manifests)).toEqual([]);
  });

  it("let only the web and the API take traffic from outside, and the workers reach only DNS, the broker, the database and email", () => {
    expect(networkProblems(manifests)).toEqual([]);
  });

  it("are applied in an order that migrates before any service starts", () => {
    expect(orderProblems(applySteps())).toEqual([]);
  });
});
