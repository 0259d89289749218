/**
 * Cross-checks of the Kubernetes manifests against the code they deploy: each returns what is
 * wrong, one line a problem (none: all is well), so that a test can show it catches a bad manifest.
 */
import { existsSync, readFileSync } from "node:fs";
import { QUEUES } from "@userstream/contracts";
import { dockerStage } from "./dockerfiles";
import type { Manifest } from "./kubernetes-manifests";
import { composeBuilds, containerEnv, imageEnv, imageName, type Workload, workloads } from "./kubernetes-workloads";
import { root } from "./start-support";

/** The uid of `node` in the official Node.js images, the `USER` of every runtime stage. */
const NODE_UID = 1000;

/** The selector's labels all on `labels` (matchLabels, and matchExpressions with In). */
export function selects(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] },
  labels: Record<string, string>,
): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) =>
    operator === "In" ? values.includes(labels[key] ?? "") : operator === "Exists" ? key in labels : false,
  );
  return matchLabels && expressions;
}

/** The image each workload runs is one docker-compose.yml builds, from a stage its Dockerfile has, run the same way. */
function imageProblems(workload: Workload): string[] {
  const { component, container } = workload;
  // The workload of each name runs what compose's service of that name runs.
  const built = composeBuilds().get(component);
  if (!built) return [`${component}: docker-compose.yml builds no service ${component}`];
  const problems: string[] = [];
  if (built.image !== imageName(container.image))
    problems.push(`${component}: image ${imageName(container.image)}, compose's ${component} is ${built.image}`);
  let stage: string;
  try {
    stage = dockerStage(built.dockerfile, built.target);
  } catch (error) {
    return [...problems, `${component}: ${(error as Error).message}`];
  }
  if (!/^USER node$/m.test(stage)) problems.push(`${component}: the image's stage does not run as node`);
  if (JSON.stringify(container.args ?? built.command ?? []) !== JSON.stringify(built.command ?? []))
    problems.push(`${component}: runs ${JSON.stringify(container.args)}, compose runs ${JSON.stringify(built.command)}`);
  // The workers' image starts the role its command names (apps/workers/docker/entrypoint.sh).
  const entrypoint = `${root}apps/workers/docker/entrypoint.sh`;
  const role = container.args?.[0];
  if (
    role &&
    existsSync(entrypoint) &&
    !new RegExp(`^\\s*(\\S+ \\| )?${role}( \\| \\S+)?\\)`, "m").test(readFileSync(entrypoint, "utf8"))
  )
    problems.push(`${component}: the workers' entry point starts no role ${role}`);
  return problems;
}

/** Every variable set is one the process reads, with a value it accepts; every one it requires is set. */
function envProblems(workload: Workload, manifests: Manifest[]): string[] {
  const { component, process } = workload;
  if (!process) return [`${component}: no known process runs in this workload`];
  const { values, files, problems } = containerEnv(workload, manifests);
  const built = composeBuilds().get(component);
  const image = built ? imageEnv(built.dockerfile, built.target) : {};
  for (const name of [...Object.keys(values), ...Object.keys(files)]) {
    const schema = process.shape[name];
    if (!schema) problems.push(`${component}: sets ${name}, which it does not read`);
    else if (name in values && !schema.safeParse(values[name]).success)
      problems.push(
        `${component}: ${name}=${values[name]} is refused: ${schema.safeParse(values[name]).error?.issues[0]?.message}`,
      );
    if (name in values && name in files) problems.push(`${component}: sets both ${name} and ${name}_FILE`);
  }
  for (const [name, schema] of Object.entries(process.shape)) {
    const given = name in values || name in files || name in image;
    if (!given && !schema.safeParse(undefined).success) problems.push(`${component}: does not set ${name}, which it requires`);
  }
  return problems;
}

/** The HTTP port: the one the process listens on, probed on /healthz and /readyz, and the one its Service targets. */
function portProblems(workload: Workload, manifests: Manifest[]): string[] {
  const { component, container, process } = workload;
  if (!process?.port) return [];
  const { values } = containerEnv(workload, manifests);
  const built = composeBuilds().get(component);
  const fromImage = built ? imageEnv(built.dockerfile, built.target)[process.port] : undefined;
  const listens = Number(values[process.port] ?? fromImage ?? process.shape[process.port]?.parse(undefined));
  const problems: string[] = [];
  const http = container.ports?.find((port) => port.name === "http");
  if (http?.containerPort !== listens)
    problems.push(`${component}: listens on ${listens} (${process.port}), its http port is ${http?.containerPort}`);
  const probed = (port: string | number | undefined) => (port === "http" ? http?.containerPort : port);
  for (const [probe, path] of [
    ["livenessProbe", "/healthz"],
    ["readinessProbe", "/readyz"],
  ] as const) {
    const get = container[probe]?.httpGet;
    if (get?.path !== path || probed(get.port) !== listens)
      problems.push(`${component}: ${probe} asks ${get?.path}:${probed(get?.port)}, the process serves ${path} on ${listens}`);
  }
  const labels = workload.manifest.spec.template.metadata.labels as Record<string, string>;
  const services = manifests.filter(
    (manifest) => manifest.kind === "Service" && selects({ matchLabels: manifest.spec.selector }, labels),
  );
  if (workload.manifest.kind === "Deployment" && services.length === 0)
    problems.push(`${component}: no Service selects its pods`);
  for (const service of services) {
    for (const port of service.spec.ports as { targetPort: string | number }[])
      if (probed(port.targetPort) !== listens)
        problems.push(`${component}: Service ${service.metadata.name} targets ${port.targetPort}`);
  }
  return problems;
}

/** Non-root (as the image's user), read-only root filesystem, no privilege, resources requested; REPORTS_DIR on the shared volume. */
function securityProblems(workload: Workload, manifests: Manifest[]): string[] {
  const { component, pod, container } = workload;
  const problems: string[] = [];
  if (pod.securityContext?.runAsNonRoot !== true || pod.securityContext.runAsUser !== NODE_UID)
    problems.push(`${component}: the pod must run as non-root uid ${NODE_UID} (the images' node)`);
  const context = container.securityContext;
  if (context?.readOnlyRootFilesystem !== true) problems.push(`${component}: the root filesystem is writable`);
  if (context?.allowPrivilegeEscalation !== false) problems.push(`${component}: privilege escalation is allowed`);
  if (!context?.capabilities?.drop?.includes("ALL")) problems.push(`${component}: capabilities are not all dropped`);
  if (!container.resources?.requests?.cpu || !container.resources.requests.memory)
    problems.push(`${component}: no CPU or memory request`);
  const reportsDir = containerEnv(workload, manifests).values.REPORTS_DIR;
  if (reportsDir) {
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === reportsDir);
    const claim = pod.volumes?.find((volume) => volume.name === mount?.name)?.persistentVolumeClaim?.claimName;
    const pvc = manifests.find((manifest) => manifest.kind === "PersistentVolumeClaim" && manifest.metadata.name === claim);
    if (!pvc?.spec.accessModes.includes("ReadWriteMany"))
      problems.push(
        `${component}: REPORTS_DIR ${reportsDir} is not on a ReadWriteMany volume shared by the web and the reporter`,
      );
    if (component === "reporter" && mount?.readOnly) problems.push(`${component}: REPORTS_DIR is read-only`);
  }
  return problems;
}

export function workloadProblems(manifests: Manifest[]): string[] {
  const all = workloads(manifests);
  const components = all.map((workload) => workload.component).sort();
  const expected = ["api", "migrate", "receiver", "reporter", "sender", "web"];
  const problems =
    JSON.stringify(components) === JSON.stringify(expected) ? [] : [`workloads ${components}, expected ${expected}`];
  return problems.concat(
    all.flatMap((workload) => [
      ...imageProblems(workload),
      ...envProblems(workload, manifests),
      ...portProblems(workload, manifests),
      ...securityProblems(workload, manifests),
    ]),
  );
}

/** KEDA scales each consumer on its contract's queue, with unacknowledged messages counted (the management API). */
export function queueProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const scaled = manifests.filter((manifest) => manifest.kind === "ScaledObject");
  for (const workload of workloads(manifests)) {
    const { component, process } = workload;
    if (!process?.consumes || component === "reporter") continue;
    const object = scaled.find((candidate) => candidate.spec.scaleTargetRef.name === workload.manifest.metadata.name);
    if (!object) {
      problems.push(`${component}: no ScaledObject`);
      continue;
    }
    const trigger = object.spec.triggers?.[0] as {
      type: string;
      metadata: Record<string, string>;
      authenticationRef?: { name: string };
    };
    const { queueName, protocol, mode, value } = trigger.metadata;
    if (trigger.type !== "rabbitmq") problems.push(`${component}: scaled on ${trigger.type}, not rabbitmq`);
    if (!Object.values(QUEUES).includes(queueName as never))
      problems.push(`${component}: queue ${queueName} is none of the contracts'`);
    if (queueName !== process.consumes.queue)
      problems.push(`${component}: scaled on ${queueName}, consumes ${process.consumes.queue}`);
    if (protocol !== "http" || mode !== "QueueLength")
      problems.push(`${component}: protocol ${protocol}, mode ${mode}: unacknowledged messages need http and QueueLength`);
    // A replica's own prefetch window must not be enough to call for another replica.
    const prefetch = Number(process.shape[`${component.toUpperCase()}_PREFETCH`]?.parse(undefined));
    if (!(Number(value) > prefetch))
      problems.push(`${component}: ${value} messages per replica, not above its prefetch ${prefetch}`);
    const auth = manifests.find(
      (manifest) => manifest.kind === "TriggerAuthentication" && manifest.metadata.name === trigger.authenticationRef?.name,
    );
    if (!auth) problems.push(`${component}: no TriggerAuthentication ${trigger.authenticationRef?.name}`);
    const { minReplicaCount: min, maxReplicaCount: max } = object.spec as { minReplicaCount?: number; maxReplicaCount?: number };
    if (!(min !== undefined && max !== undefined && min >= 1 && max > min))
      problems.push(`${component}: replicas ${min} to ${max}`);
  }
  return problems;
}

/** Every Deployment has a PodDisruptionBudget and a replica count above one (the web and the API by CPU HPA). */
export function availabilityProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const deployment of manifests.filter((manifest) => manifest.kind === "Deployment")) {
    const { name } = deployment.metadata;
    const labels = deployment.spec.template.metadata.labels as Record<string, string>;
    if (!manifests.some((manifest) => manifest.kind === "PodDisruptionBudget" && selects(manifest.spec.selector, labels)))
      problems.push(`${name}: no PodDisruptionBudget`);
    const hpa = manifests.find(
      (manifest) => manifest.kind === "HorizontalPodAutoscaler" && manifest.spec.scaleTargetRef.name === name,
    );
    const keda = manifests.find((manifest) => manifest.kind === "ScaledObject" && manifest.spec.scaleTargetRef.name === name);
    if (["web", "api"].includes(name) && hpa?.spec.metrics?.[0]?.resource?.name !== "cpu")
      problems.push(`${name}: no HPA on CPU`);
    const minimum = hpa?.spec.minReplicas ?? keda?.spec.minReplicaCount ?? deployment.spec.replicas ?? 1;
    if (minimum < 2) problems.push(`${name}: ${minimum} replica at the least`);
    if ((hpa || keda) && deployment.spec.replicas !== undefined)
      problems.push(`${name}: sets replicas, which its autoscaler owns`);
  }
  return problems;
}
