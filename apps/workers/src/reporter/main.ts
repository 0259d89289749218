import { runMain } from "../lib/run-main";
import { loadReporterEnv } from "./env";
import { startReporter } from "./reporter";

runMain(async () => (await startReporter(loadReporterEnv())).shutdown);
