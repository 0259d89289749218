import { runMain } from "@userstream/runtime";
import { loadSenderEnv } from "./env";
import { startSender } from "./sender";

runMain(async () => (await startSender(loadSenderEnv())).shutdown);
