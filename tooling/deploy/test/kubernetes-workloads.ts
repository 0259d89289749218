/**
 * The workloads of deploy/kubernetes (Deployments and the migrate Job) and what each one runs: its
 * process, the environment its container gives it (literal values, ConfigMap keys, secret files)
 * and the image it comes from, as docker-compose.yml builds it.
 */
import { readFileSync } from "node:fs";
import { EmailSendV1, type MessageContract, ReportGenerateV1, UserRegistrationV1 } from "@userstream/contracts";
import { ENV_FILES_VARIABLE } from "@userstream/runtime/load-env-files";
import { webEnvShape } from "@userstream/web/env-shape";
import { receiverEnvShape } from "@userstream/workers/receiver/env";
import { reporterEnvShape } from "@userstream/workers/reporter/env";
import { senderEnvShape } from "@userstream/workers/sender/env";
import { parse } from "yaml";
import { z } from "zod";
import { dockerStage } from "./dockerfiles";
import type { Manifest } from "./kubernetes-manifests";
import { root } from "./start-support";

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: unknown };
  }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: { cpu?: string; memory?: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
export interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: {
    name: string;
    secret?: { secretName: string; items?: { key: string; path: string }[] };
    persistentVolumeClaim?: { claimName: string };
  }[];
}

type Shape = Record<string, z.ZodType>;
/** What one workload runs: the variables it reads, and which of them is the port of its HTTP server. */
interface Process {
  shape: Shape;
  port?: string;
  /** The queue whose depth scales it: the contract it consumes. */
  consumes?: MessageContract;
}

/**
 * Every process by the `app.kubernetes.io/component` of its pods. The web's port is Next.js's own
 * PORT (apps/web/Dockerfile sets it), read by its standalone server rather than by env.ts; the
 * migrate Job reads the URLs of packages/db/src/env.ts and no `.env` file.
 */
export const PROCESSES: Record<string, Process> = {
  web: { shape: { ...webEnvShape(true), PORT: z.coerce.number().int(), HOSTNAME: z.string() }, port: "PORT" },
  api: { shape: webEnvShape(true), port: "API_PORT" satisfies keyof ReturnType<typeof webEnvShape> },
  receiver: {
    shape: receiverEnvShape,
    port: "RECEIVER_PORT" satisfies keyof typeof receiverEnvShape,
    consumes: UserRegistrationV1,
  },
  sender: { shape: senderEnvShape, port: "SENDER_PORT" satisfies keyof typeof senderEnvShape, consumes: EmailSendV1 },
  reporter: {
    shape: reporterEnvShape,
    port: "REPORTER_PORT" satisfies keyof typeof reporterEnvShape,
    consumes: ReportGenerateV1,
  },
  migrate: {
    shape: {
      DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
      DATABASE_ADMIN_URL: z.url({ protocol: /^postgres(ql)?$/ }),
      DATABASE_APP_URL: z.url({ protocol: /^postgres(ql)?$/ }),
      [ENV_FILES_VARIABLE]: z.literal("off"),
    },
  },
};

/** One container of a workload, with the pod around it and the process it runs. */
export interface Workload {
  manifest: Manifest;
  component: string;
  pod: PodSpec;
  container: Container;
  process: Process | undefined;
}

export function workloads(manifests: Manifest[]): Workload[] {
  return manifests
    .filter((manifest) => manifest.kind === "Deployment" || manifest.kind === "Job")
    .flatMap((manifest) => {
      const pod = manifest.spec.template.spec as PodSpec;
      const component = manifest.spec.template.metadata?.labels?.["app.kubernetes.io/component"] as string;
      return pod.containers.map((container) => ({ manifest, component, pod, container, process: PROCESSES[component] }));
    });
}

/** A container's environment: the values it sets (ConfigMap keys resolved) and the files its `NAME_FILE`s name. */
export function containerEnv(workload: Workload, manifests: Manifest[]) {
  const values: Record<string, string> = {};
  const files: Record<string, string> = {};
  const problems: string[] = [];
  for (const { name, value, valueFrom } of workload.container.env ?? []) {
    if (name.endsWith("_FILE") && value !== undefined) files[name.slice(0, -"_FILE".length)] = value;
    else if (value !== undefined) values[name] = value;
    else if (valueFrom?.configMapKeyRef) {
      const { name: map, key } = valueFrom.configMapKeyRef;
      const data = manifests.find((manifest) => manifest.kind === "ConfigMap" && manifest.metadata.name === map)?.data;
      if (data?.[key] === undefined)
        problems.push(`${workload.component}: ${name} refers to ${map}.${key}, which no ConfigMap holds`);
      else values[name] = data[key];
    } else problems.push(`${workload.component}: ${name} is neither a value, a ConfigMap key nor a file`);
  }
  return { values, files, problems };
}

/** The services docker-compose.yml builds, by name: their image, its Dockerfile and target (none: its last stage), their command. */
export function composeBuilds(): Map<string, { image: string; dockerfile: string; target?: string; command?: string[] }> {
  const compose = parse(readFileSync(`${root}docker-compose.yml`, "utf8"), { merge: true }) as {
    services: Record<string, { image?: string; build?: { dockerfile: string; target?: string }; command?: string[] }>;
  };
  const builds = new Map<string, { image: string; dockerfile: string; target?: string; command?: string[] }>();
  for (const [service, { image, build, command }] of Object.entries(compose.services)) {
    if (image && build) builds.set(service, { image, dockerfile: build.dockerfile, target: build.target, command });
  }
  return builds;
}

/** The `ENV` of a Dockerfile stage, as the container starts with it. */
export function imageEnv(dockerfile: string, target?: string): Record<string, string> {
  const lines = dockerStage(dockerfile, target)
    .split("\n")
    .filter((line) => line.startsWith("ENV "));
  return Object.fromEntries(
    lines.flatMap((line) => [...line.slice(4).matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1], match[2]])),
  );
}

/** The image's name without registry and tag: `registry.example.com/userstream-web:1.0.0` → `userstream-web`. */
export function imageName(image: string): string {
  return image.replace(/^.*\//, "").replace(/[:@].*$/, "");
}
