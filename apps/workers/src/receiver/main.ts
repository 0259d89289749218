import { runMain } from "@userstream/runtime";
import { loadReceiverEnv } from "./env";
import { startReceiver } from "./receiver";

runMain(async () => (await startReceiver(loadReceiverEnv())).shutdown);
