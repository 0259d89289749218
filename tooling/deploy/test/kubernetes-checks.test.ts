/**
 * Each check of the Kubernetes manifests fails where it should: the real manifests with one thing
 * changed (a wrong queue, port, variable, image, secret, network rule or order) are refused, with
 * a line naming what is wrong.
 */
import { describe, expect, it } from "vitest";
import { availabilityProblems, queueProblems, workloadProblems } from "./kubernetes-checks";
import { applySteps, loadManifests, type Manifest, schemaProblems } from "./kubernetes-manifests";
import { networkProblems, orderProblems, secretProblems } from "./kubernetes-policy-checks";
import type { Container, PodSpec } from "./kubernetes-workloads";

const manifests = loadManifests();

/** The manifests with `change` made to a copy of object `kind/name`. */
function withChange(kind: string, name: string, change: (manifest: Manifest) => void): Manifest[] {
  const copy = structuredClone(manifests);
  const target = copy.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!target) throw new Error(`no ${kind}/${name}`);
  change(target);
  return copy;
}
const pod = (manifest: Manifest) => manifest.spec.template.spec as PodSpec;
const container = (manifest: Manifest) => pod(manifest).containers[0] as Container;
const envVar = (manifest: Manifest, name: string) => {
  const found = container(manifest).env?.find((variable) => variable.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe("the Kubernetes manifests' checks", () => {
  it("refuse an object its schema refuses: a wrong type, a misspelt CRD field, an unknown pool mode", () => {
    const problems = (changed: Manifest[]) => changed.flatMap(schemaProblems);
    expect(problems(withChange("Deployment", "web", (web) => (web.spec.revisionHistoryLimit = "two")))).toEqual([
      "web.yaml Deployment/web: data/spec/revisionHistoryLimit must be integer",
    ]);
    expect(problems(withChange("RabbitmqCluster", "rabbitmq", (rabbit) => (rabbit.spec.replica = 3)))).toEqual([
      "rabbitmq.yaml RabbitmqCluster/rabbitmq: /spec must NOT have additional properties",
    ]);
    expect(problems(withChange("Pooler", "pgbouncer", (pooler) => (pooler.spec.pgbouncer.poolMode = "statement-ish")))).toEqual([
      "postgres.yaml Pooler/pgbouncer: data/spec/pgbouncer/poolMode must be equal to one of the allowed values",
    ]);
    expect(problems(withChange("Service", "web", (web) => (web.apiVersion = "v2")))).toEqual([
      "web.yaml Service/web: no schema for v2/Service",
    ]);
  });

  it("refuse a KEDA queue that is not the consumer's contract queue, and a depth without unacknowledged messages", () => {
    const renamed = withChange("ScaledObject", "sender", (sender) => (sender.spec.triggers[0].metadata.queueName = "email.sent"));
    expect(queueProblems(renamed)).toEqual([
      "sender: queue email.sent is none of the contracts'",
      "sender: scaled on email.sent, consumes email.send",
    ]);
    const swapped = withChange(
      "ScaledObject",
      "receiver",
      (receiver) => (receiver.spec.triggers[0].metadata.queueName = "email.send"),
    );
    expect(queueProblems(swapped)).toEqual(["receiver: scaled on email.send, consumes user.registration"]);
    const amqp = withChange("ScaledObject", "receiver", (receiver) => (receiver.spec.triggers[0].metadata.protocol = "amqp"));
    expect(queueProblems(amqp)).toEqual([
      "receiver: protocol amqp, mode QueueLength: unacknowledged messages need http and QueueLength",
    ]);
    const small = withChange("ScaledObject", "receiver", (receiver) => (receiver.spec.triggers[0].metadata.value = "300"));
    expect(queueProblems(small)).toEqual(["receiver: 300 messages per replica, not above its prefetch 300"]);
  });

  it("refuse a port, a probe or a variable that is not what the process reads", () => {
    const port = withChange("Deployment", "receiver", (receiver) => (envVar(receiver, "RECEIVER_PORT").value = "9081"));
    expect(workloadProblems(port)).toEqual([
      "receiver: listens on 9081 (RECEIVER_PORT), its http port is 8081",
      "receiver: livenessProbe asks /healthz:8081, the process serves /healthz on 9081",
      "receiver: readinessProbe asks /readyz:8081, the process serves /readyz on 9081",
      "receiver: Service receiver targets http",
    ]);
    const probe = withChange(
      "Deployment",
      "api",
      (api) => (container(api).readinessProbe = { httpGet: { path: "/ready", port: 8083 } }),
    );
    expect(workloadProblems(probe)).toEqual(["api: readinessProbe asks /ready:8083, the process serves /readyz on 8083"]);
    const misspelt = withChange("Deployment", "receiver", (receiver) =>
      container(receiver).env?.push({ name: "RECIEVER_PREFETCH", value: "50" }),
    );
    expect(workloadProblems(misspelt)).toEqual(["receiver: sets RECIEVER_PREFETCH, which it does not read"]);
    const missing = withChange("Deployment", "sender", (sender) => {
      container(sender).env = container(sender).env?.filter((variable) => variable.name !== "CONFIRMATION_TOKEN_SECRET_FILE");
    });
    expect(workloadProblems(missing)).toEqual(["sender: does not set CONFIRMATION_TOKEN_SECRET, which it requires"]);
    const cron = withChange(
      "ConfigMap",
      "userstream-config",
      (config) => ((config.data as Record<string, string>).REPORT_CRON = "every night"),
    );
    expect(workloadProblems(cron)).toEqual([
      "reporter: REPORT_CRON=every night is refused: must be a cron expression such as `0 2 * * *`, or `off`",
    ]);
  });

  it("refuse an image or a role the Dockerfiles and compose do not build, and a writable or root container", () => {
    const image = withChange("Deployment", "web", (web) => (container(web).image = "registry.example.com/userstream-webb:1.0.0"));
    expect(workloadProblems(image)).toEqual(["web: image userstream-webb, compose's web is userstream-web"]);
    const role = withChange("Deployment", "sender", (sender) => (container(sender).args = ["sendr"]));
    expect(workloadProblems(role)).toEqual([
      'sender: runs ["sendr"], compose runs ["sender"]',
      "sender: the workers' entry point starts no role sendr",
    ]);
    const writable = withChange("Deployment", "reporter", (reporter) => {
      container(reporter).securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
      pod(reporter).securityContext = { runAsNonRoot: false };
    });
    expect(workloadProblems(writable)).toEqual([
      "reporter: the pod must run as non-root uid 1000 (the images' node)",
      "reporter: the root filesystem is writable",
    ]);
    const local = withChange("PersistentVolumeClaim", "reports", (claim) => (claim.spec.accessModes = ["ReadWriteOnce"]));
    expect(workloadProblems(local)).toEqual([
      "reporter: REPORTS_DIR /data/reports is not on a ReadWriteMany volume shared by the web and the reporter",
      "web: REPORTS_DIR /data/reports is not on a ReadWriteMany volume shared by the web and the reporter",
    ]);
  });

  it("refuse a secret file not in the template, a value in the template, and a secret in a manifest", () => {
    const file = withChange(
      "Deployment",
      "reporter",
      (reporter) => (envVar(reporter, "DATABASE_URL_FILE").value = "/run/secrets/database_uri"),
    );
    expect(secretProblems(file)).toEqual([
      "reporter: DATABASE_URL_FILE=/run/secrets/database_uri is no key of userstream-secrets mounted at /run/secrets",
    ]);
    const filled = withChange(
      "Secret",
      "userstream-secrets",
      (secret) => ((secret.stringData as Record<string, string>).session_secret = "s3cret"),
    );
    expect(secretProblems(filled)).toEqual(["secrets.template.yaml.session_secret holds a value: the template must not"]);
    const direct = withChange("Deployment", "receiver", (receiver) => {
      container(receiver).env?.push({ name: "SESSION_SECRET", value: "development-session-secret-change-me-0123456789" });
      container(receiver).env?.push({ name: "RABBITMQ_URL", value: "amqp://userstream:hunter2@rabbitmq:5672" });
    });
    const problems = secretProblems(direct);
    expect(problems).toContain("receiver: SESSION_SECRET is set directly, not from a file");
    expect(problems).toContain(
      "receiver.yaml.spec.template.spec.containers[0].env[3].value: a development secret the repository publishes",
    );
    expect(problems).toContain("receiver.yaml.spec.template.spec.containers[0].env[4].value: a URL with a password");
  });

  it("refuse traffic from outside to a worker, a worker reaching anywhere else, and a Deployment without a disruption budget", () => {
    const open = withChange("NetworkPolicy", "from-ingress", (policy) =>
      policy.spec.podSelector.matchExpressions[1].values.push("receiver"),
    );
    expect(networkProblems(open)).toEqual(["receiver: takes traffic from namespace ingress-nginx"]);
    const anywhere = withChange("NetworkPolicy", "to-broker-and-database", (policy) =>
      policy.spec.egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] }),
    );
    expect(networkProblems(anywhere)).toEqual(["receiver: reaches ip 0.0.0.0/0:443", "reporter: reaches ip 0.0.0.0/0:443"]);
    const budget = withChange(
      "PodDisruptionBudget",
      "sender",
      (pdb) => (pdb.spec.selector.matchLabels["app.kubernetes.io/component"] = "mailer"),
    );
    expect(availabilityProblems(budget)).toEqual(["sender: no PodDisruptionBudget"]);
  });

  it("refuse an order that starts a service before the migrations completed, or applies the secrets' template", () => {
    const steps = applySteps();
    const early = steps.filter((step) => step !== "web.yaml");
    early.splice(early.indexOf("migrate-job.yaml"), 0, "web.yaml");
    expect(orderProblems(early)).toEqual(["web.yaml is applied before the migrations completed"]);
    expect(orderProblems([...steps, "secrets.template.yaml"])).toEqual(["secrets.template.yaml is applied 1 times"]);
    expect(orderProblems(steps.filter((step) => !step.includes("wait job/migrate")))).toContain(
      "the migrate Job is not waited for",
    );
  });
});
