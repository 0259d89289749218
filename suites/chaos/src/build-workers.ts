import { ensureWorkerBundles } from "@userstream/test-support";

/** Vitest's global setup of the chaos suite: the workers' bundles, built when missing or stale. */
export default async function setup() {
  await ensureWorkerBundles();
}
