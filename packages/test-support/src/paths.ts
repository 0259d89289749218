import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repoRoot = path.resolve(fileURLToPath(import.meta.url), "../../../..");
/** apps/workers: where its entries and `start:<role>` scripts are. */
export const workersDir = path.join(repoRoot, "apps", "workers");
/** apps/web: where its servers start from. */
export const webDir = path.join(repoRoot, "apps", "web");
