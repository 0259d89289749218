/**
 * Cross-checks of the Kubernetes manifests' secrets, network policies and apply order: each
 * returns what is wrong, one line a problem (none: all is well).
 */
import { readdirSync } from "node:fs";
import { PUBLISHED_SECRET_DIGESTS, secretDigest } from "@userstream/runtime/published-secrets";
import { SECRET_VARIABLES } from "./compose-support";
import { selects } from "./kubernetes-checks";
import { KUBERNETES_DIR, type Manifest, SECRETS_TEMPLATE } from "./kubernetes-manifests";
import { containerEnv, workloads } from "./kubernetes-workloads";

/** Where every pod finds its secret files (compose.prod.yml's Docker secrets too). */
const SECRETS_PATH = "/run/secrets";
/** The namespaces traffic may come from: the ingress controller's (outside) and Prometheus'. */
export const INGRESS_NAMESPACE = "ingress-nginx";
const MONITORING_NAMESPACE = "monitoring";

/** Every string anywhere in `value`, with where it is. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}.${key}`));
  return [];
}

/**
 * Secrets only as files: each `NAME_FILE` names a key of the secrets' template mounted into that
 * pod; the template holds no value; no manifest holds a secret (a URL with a password, a value
 * the repository publishes, a secret variable set directly, a Secret with data).
 */
export function secretProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const template = manifests.find((manifest) => manifest.file === SECRETS_TEMPLATE && manifest.kind === "Secret");
  const keys = new Set(Object.keys(template?.stringData ?? {}));
  if (!template) problems.push(`${SECRETS_TEMPLATE}: no Secret`);
  for (const [path, value] of strings({ ...template?.stringData, ...template?.data }, SECRETS_TEMPLATE))
    if (value !== "") problems.push(`${path} holds a value: the template must not`);

  for (const workload of workloads(manifests)) {
    const { component, pod, container } = workload;
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === SECRETS_PATH);
    const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name)?.secret;
    for (const [name, file] of Object.entries(containerEnv(workload, manifests).files)) {
      const key = file.startsWith(`${SECRETS_PATH}/`) ? file.slice(SECRETS_PATH.length + 1) : undefined;
      if (
        !key ||
        volume?.secretName !== template?.metadata.name ||
        !volume?.items?.some((item) => item.key === key && item.path === key)
      )
        problems.push(`${component}: ${name}_FILE=${file} is no key of ${template?.metadata.name} mounted at ${SECRETS_PATH}`);
      else if (!keys.has(key)) problems.push(`${component}: ${name}_FILE: the secrets' template has no key ${key}`);
    }
    for (const item of volume?.items ?? [])
      if (!keys.has(item.key)) problems.push(`${component}: mounts ${item.key}, no key of the template`);
    for (const variable of container.env ?? [])
      if (SECRET_VARIABLES.test(variable.name)) problems.push(`${component}: ${variable.name} is set directly, not from a file`);
  }
  for (const auth of manifests.filter((manifest) => manifest.kind === "TriggerAuthentication"))
    for (const ref of auth.spec.secretTargetRef as { name: string; key: string }[])
      if (ref.name !== template?.metadata.name || !keys.has(ref.key))
        problems.push(`TriggerAuthentication: ${ref.name}.${ref.key} is no key of the template`);

  for (const manifest of manifests.filter((candidate) => candidate !== template)) {
    if (manifest.kind === "Secret") problems.push(`${manifest.file}: a Secret outside the template`);
    for (const [path, value] of strings(manifest, manifest.file)) {
      if (/:\/\/[^/\s:@]+:[^/\s@]+@/.test(value)) problems.push(`${path}: a URL with a password`);
      if (PUBLISHED_SECRET_DIGESTS.has(secretDigest(value)))
        problems.push(`${path}: a development secret the repository publishes`);
    }
  }
  return problems;
}

interface Peer {
  podSelector?: Parameters<typeof selects>[0];
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: { port?: number | string }[];
}

/** A peer in words: `namespace kube-system`, `pods app.kubernetes.io/name=rabbitmq`, `ip 0.0.0.0/0`. */
function describe(peer: Peer): string {
  const labels = (selector?: { matchLabels?: Record<string, string> }) =>
    Object.entries(selector?.matchLabels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
  if (peer.ipBlock) return `ip ${peer.ipBlock.cidr}`;
  const namespace = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
  return namespace ? `namespace ${namespace}` : `pods ${labels(peer.podSelector)}`;
}

/**
 * Everything is refused unless allowed; only the web and the API take traffic from outside (the
 * ingress controller); a worker reaches only DNS, the broker, PgBouncer and (the sender) SMTP and
 * Resend's HTTPS API.
 */
export function networkProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const policies = manifests.filter((manifest) => manifest.kind === "NetworkPolicy");
  for (const workload of workloads(manifests)) {
    const { component } = workload;
    const labels = workload.manifest.spec.template.metadata.labels as Record<string, string>;
    const mine = policies.filter((policy) => selects(policy.spec.podSelector, labels));
    if (!mine.some((policy) => policy.spec.policyTypes.length === 2 && !policy.spec.ingress && !policy.spec.egress))
      problems.push(`${component}: no default-deny policy selects it`);
    const ingress = mine.flatMap((policy) => (policy.spec.ingress ?? []) as Rule[]).flatMap((rule) => rule.from ?? []);
    for (const peer of ingress) {
      const outside = peer.ipBlock || peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === INGRESS_NAMESPACE;
      const known = outside || describe(peer) === `namespace ${MONITORING_NAMESPACE}` || peer.podSelector;
      if ((outside && !["web", "api"].includes(component)) || !known)
        problems.push(`${component}: takes traffic from ${describe(peer)}`);
    }
    if (["web", "api"].includes(component) && !ingress.some((peer) => describe(peer) === `namespace ${INGRESS_NAMESPACE}`))
      problems.push(`${component}: takes no traffic from the ingress controller`);
    if (!["receiver", "sender", "reporter"].includes(component)) continue;
    const allowed = new Set([
      "namespace kube-system:53",
      "pods app.kubernetes.io/name=rabbitmq:5672",
      "pods cnpg.io/poolerName=pgbouncer:5432",
      ...(component === "sender" ? ["ip 0.0.0.0/0:587", "ip 0.0.0.0/0:465", "ip 0.0.0.0/0:443"] : []),
    ]);
    for (const rule of mine.flatMap((policy) => (policy.spec.egress ?? []) as Rule[])) {
      for (const peer of rule.to ?? [{ ipBlock: { cidr: "anywhere" } }]) {
        for (const { port } of rule.ports ?? [{ port: "any port" }]) {
          const reach = `${describe(peer)}:${port}`;
          if (!allowed.has(reach)) problems.push(`${component}: reaches ${reach}`);
        }
      }
    }
  }
  return problems;
}

/**
 * apply-order.txt applies every manifest once (never the secrets' template), the migrations
 * before any service, waited for, and the namespace first.
 */
export function orderProblems(
  steps: string[],
  files = readdirSync(KUBERNETES_DIR).filter((name) => name.endsWith(".yaml")),
): string[] {
  const problems: string[] = [];
  const applied = steps.filter((step) => !step.startsWith("kubectl "));
  for (const file of files) {
    const times = applied.filter((step) => step === file).length;
    if (file === SECRETS_TEMPLATE ? times !== 0 : times !== 1) problems.push(`${file} is applied ${times} times`);
  }
  for (const step of applied) if (!files.includes(step)) problems.push(`${step}: no such manifest`);
  if (applied[0] !== "namespace.yaml") problems.push(`${applied[0]} comes before the namespace`);
  const migrate = steps.indexOf("migrate-job.yaml");
  const waited = steps.findIndex((step) => /^kubectl -n \S+ wait job\/migrate --for=condition=Complete\b/.test(step));
  if (!(migrate >= 0 && waited > migrate)) problems.push("the migrate Job is not waited for");
  for (const service of ["web.yaml", "api.yaml", "receiver.yaml", "sender.yaml", "reporter.yaml"])
    if (!(steps.indexOf(service) > waited)) problems.push(`${service} is applied before the migrations completed`);
  return problems;
}
