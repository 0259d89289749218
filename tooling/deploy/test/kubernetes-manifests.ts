/**
 * The Kubernetes manifests of deploy/kubernetes, read as `kubectl apply -f` reads them, and each
 * object validated against its schema: kubernetes-models for Kubernetes' own kinds, KEDA's and
 * CloudNativePG's; the JSON Schema extracted from the RabbitMQ Cluster Operator's CRD (with ajv)
 * for RabbitmqCluster.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Cluster, Pooler } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Ajv } from "ajv";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";
import { root } from "./start-support";

export const KUBERNETES_DIR = join(root, "deploy/kubernetes");
/** The secrets' template: what the operator makes the Secret from, never applied as it is. */
export const SECRETS_TEMPLATE = "secrets.template.yaml";
export const APPLY_ORDER = "apply-order.txt";

/** One object of a manifest, with the file it came from. Fields are read loosely: the schema checks them. */
export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's body, checked by its schema
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Every object of every `.yaml` file of deploy/kubernetes (the template included), in file order. */
export function loadManifests(dir = KUBERNETES_DIR): Manifest[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return { file, ...(document.toJSON() as Omit<Manifest, "file">) };
    }),
  );
}

/** A model class of kubernetes-models: built from an object, `validate()` throws naming what is wrong. */
type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
  "postgresql.cnpg.io/v1/Cluster": Cluster,
  "postgresql.cnpg.io/v1/Pooler": Pooler,
};

/** JSON Schemas extracted from operators' CRDs (deploy/kubernetes/schemas/README.md says from where). */
const CRD_SCHEMAS: Record<string, string> = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": "rabbitmqcluster.rabbitmq.com-v1beta1.json",
};
// The CRDs' schemas carry Kubernetes' own keywords (x-kubernetes-*) and formats (int32, int-or-string).
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const crdValidators = new Map<string, ReturnType<Ajv["compile"]>>();

/** What is wrong with one object against its schema, as `file kind/name: problem` lines; none when valid. */
export function schemaProblems(manifest: Manifest): string[] {
  const { file, ...object } = manifest;
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${file} ${object.kind}/${object.metadata?.name}`;
  const Model = MODELS[key];
  if (Model) {
    try {
      new Model(object as never).validate();
      return [];
    } catch (error) {
      return [`${where}: ${(error as Error).message}`];
    }
  }
  const schemaFile = CRD_SCHEMAS[key];
  if (!schemaFile) return [`${where}: no schema for ${key}`];
  let validate = crdValidators.get(key);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(join(KUBERNETES_DIR, "schemas", schemaFile), "utf8")) as object);
    crdValidators.set(key, validate);
  }
  if (validate(object)) return [];
  return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || "/"} ${error.message}`);
}

/** The steps of apply-order.txt: manifest files, and kubectl commands run as written. */
export function applySteps(dir = KUBERNETES_DIR): string[] {
  return readFileSync(join(dir, APPLY_ORDER), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
