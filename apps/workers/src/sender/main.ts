import { runMain } from "../lib/run-main";
import { loadSenderEnv } from "./env";
import { startSender } from "./sender";

runMain(async () => (await startSender(loadSenderEnv())).shutdown);
