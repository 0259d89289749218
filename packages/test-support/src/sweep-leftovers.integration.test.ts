import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { onFreePorts } from "./ports";
import { RABBIT_FOLDER_FLAG, startRabbit, type PrivateRabbit } from "./private-servers";
import { sweepTestLeftovers } from "./sweep-leftovers";
import { waitFor } from "./wait";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the sweep of a killed run's leftovers", () => {
  let rabbit: PrivateRabbit | undefined;
  afterEach(async () => {
    await rabbit?.remove();
    rabbit = undefined;
  });

  it("stops a RabbitMQ node (alone or one of a cluster) whose owner is gone and removes its folder", async () => {
    // The node is made for a short-lived owner, as the chaos suite's are for its process; then that owner dies.
    const owner = spawn("sleep", ["600"], { stdio: "ignore" });
    const override = process.env.USERSTREAM_TEST_OWNER_PID;
    process.env.USERSTREAM_TEST_OWNER_PID = String(owner.pid);
    try {
      rabbit = await onFreePorts(2, ([nodePort = 0, distPort = 0]) => startRabbit({ nodePort, distPort }));
    } finally {
      if (override === undefined) delete process.env.USERSTREAM_TEST_OWNER_PID;
      else process.env.USERSTREAM_TEST_OWNER_PID = override;
    }
    const vm = Number(readFileSync(join(rabbit.dir, "mnesia", "server.pid"), "utf8").trim());
    // What the sweep goes by: the VM names its folder on its command line.
    expect(readFileSync(`/proc/${vm}/cmdline`, "utf8").split("\0")).toEqual(
      expect.arrayContaining([RABBIT_FOLDER_FLAG, rabbit.dir]),
    );
    const ownerGone = new Promise((resolve) => owner.once("exit", resolve));
    owner.kill("SIGKILL");
    await ownerGone;

    const swept = await sweepTestLeftovers();
    expect(swept.folders).toContain(rabbit.dir);
    expect(swept.processes).toContain(vm);
    await waitFor(() => !isAlive(vm), { what: "the node's VM gone" });
    expect(existsSync(rabbit.dir)).toBe(false);
  });
});
