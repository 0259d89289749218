import { runMain } from "@userstream/runtime";
import { loadReporterEnv } from "./env";
import { startReporter } from "./reporter";

runMain(async () => (await startReporter(loadReporterEnv())).shutdown);
