export { ensureApiBundle, ensureWebBuild, ensureWorkerBundles } from "./builds";
export { inheritedEnv, interopPython, testServerUrl } from "./env";
export {
  OWNER_VARIABLE,
  currentOwner,
  ownedName,
  ownedPrefix,
  ownerEnv,
  ownerOfName,
  ownerOfTag,
  ownerState,
  type Owner,
} from "./owner";
export { repoRoot, webDir, workersDir } from "./paths";
export { freePorts, isAddressInUse, onFreePort, onFreePorts, reportedPort } from "./ports";
export {
  startPostgres,
  startRabbit,
  type PrivatePostgres,
  type PrivateRabbit,
  type TemplateDatabase,
  type TlsFiles,
} from "./private-servers";
export { startPgBouncer, type PrivatePgBouncer } from "./pgbouncer";
export { RABBIT_CLUSTER_SETTINGS, startRabbitCluster, type PrivateRabbitCluster } from "./rabbit-cluster";
export {
  describeExit,
  startProcess,
  waitUntilServing,
  type Exit,
  type StartProcessOptions,
  type StartedProcess,
} from "./processes";
export { metricSample, sampleValue } from "./prometheus-text";
export { requestFrom, type RequestFromInit } from "./request-from";
export { waitFor, type WaitOptions } from "./wait";
export { startApi, startWeb, type WebServer } from "./web-servers";
export {
  metricValue,
  metricsText,
  packageScriptCommand,
  readiness,
  spawnWorker,
  type SpawnWorkerOptions,
  type WorkerProcess,
  type WorkerRole,
} from "./workers";
