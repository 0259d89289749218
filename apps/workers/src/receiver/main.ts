import { runMain } from "../lib/run-main";
import { loadReceiverEnv } from "./env";
import { startReceiver } from "./receiver";

runMain(async () => (await startReceiver(loadReceiverEnv())).shutdown);
