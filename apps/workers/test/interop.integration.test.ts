import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  EmailSendV1,
  QUEUES,
  ReportGenerateV1,
  UserRegistrationV1,
  createEnvelope,
  messageSchemaFile,
  type MessageContract,
} from "@userstream/contracts";
import { testRegistration } from "@userstream/messaging/testing";
import { interopPython, waitFor } from "@userstream/test-support";
import { jsonSchemaValidator } from "@userstream/test-support/json-schema";
import { describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadReporterEnv } from "../src/reporter/env";
import { startReporter } from "../src/reporter/reporter";
import { bedEnv, runUntilStopped, stopsAfterEach, useTestBed } from "./support";

const run = promisify(execFile);
const interopDir = fileURLToPath(new URL("./interop/", import.meta.url));
const contractsDir = fileURLToPath(new URL("../../../packages/contracts/", import.meta.url));
const integratingDoc = fileURLToPath(new URL("../../../docs/integrating.md", import.meta.url));

/** Runs one of the Python publishers of `test/interop/`; resolves with what it printed (the message id). */
async function python(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(interopPython(), [path.join(interopDir, script), ...args], { cwd: interopDir, timeout: 30_000 });
  return stdout.trim();
}

describe("services in another language: Python's pika publishes to the workers", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();

  it("stores a registration pika published with an isoformat() +00:00 timestamp and no registrationId", async () => {
    await runUntilStopped(startReceiver(loadReceiverEnv(bedEnv(bed))), stops);
    const email = `${crypto.randomUUID()}@example.com`;
    const messageId = await python("publish_registration.py", [bed.vhost.url, "Grace", "Hopper", email]);

    const user = await waitFor(() => bed.db.user.findUnique({ where: { email } }));
    // The registration id defaulted to the message id, which the status endpoint is asked by.
    expect(user).toMatchObject({ firstName: "Grace", lastName: "Hopper", registrationId: messageId });
    expect(await bed.db.registration.findUnique({ where: { id: messageId } })).toMatchObject({
      outcome: "created",
      userId: user.id,
    });
    expect((await bed.channel.checkQueue(`${QUEUES.registration}.dead`)).messageCount).toBe(0);
  });

  it("runs the very script docs/integrating.md gives other teams to copy", async () => {
    const script = await readFile(path.join(interopDir, "publish_registration.py"), "utf8");
    expect(await readFile(integratingDoc, "utf8")).toContain(`\`\`\`python\n${script}\`\`\``);
  });

  it("writes the report pika asked for and records it", async () => {
    const reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-interop-reports-"));
    // Removed after the reporter stops (the steps run in reverse).
    stops.push(() => rm(reportsDir, { recursive: true, force: true }));
    await runUntilStopped(startReporter(loadReporterEnv(bedEnv(bed, { REPORTS_DIR: reportsDir, REPORT_CRON: "off" }))), stops);
    await bed.db.user.create({
      data: {
        registrationId: crypto.randomUUID(),
        firstName: "Ada",
        lastName: "Interop",
        email: `${crypto.randomUUID()}@example.com`,
      },
    });
    const users = await bed.db.user.count();
    // As the web does for an admin's request: the row first, then the message naming it.
    const row = await bed.db.reportLog.create({
      data: { kind: "users", trigger: "manual", status: "queued", filters: {}, requestedBy: "python-interop" },
    });
    await python("publish_report_request.py", [bed.vhost.url, row.id, "users"]);

    const report = await waitFor(async () => {
      const current = await bed.db.reportLog.findUniqueOrThrow({ where: { id: row.id } });
      return current.status === "succeeded" && current;
    }, 30_000);
    expect(report.rowCount).toBe(users);
    const csv = await readFile(path.join(reportsDir, report.fileName ?? ""), "utf8");
    expect(csv).toContain('"Interop"');
  });

  it("publishes messages the committed JSON Schemas accept, read with ajv (not zod)", async () => {
    const validator = jsonSchemaValidator();
    const schemaOf = async (contract: MessageContract) =>
      validator.compile(
        JSON.parse(await readFile(path.join(contractsDir, "schemas", messageSchemaFile(contract)), "utf8")) as object,
      );
    const take = async (queue: string) =>
      JSON.parse((await waitFor(() => bed.channel.get(queue, { noAck: true }))).content.toString()) as unknown;

    async function expectValid(contract: MessageContract, queue: string) {
      const message = await take(queue);
      const validate = await schemaOf(contract);
      expect(validate(message), `${contract.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(message).toMatchObject({ type: contract.type, version: contract.version });
    }

    // Straight from the project's publisher, as the web publishes them.
    await bed.publisher.publish(UserRegistrationV1, testRegistration());
    await expectValid(UserRegistrationV1, QUEUES.registration);
    await bed.publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId: crypto.randomUUID(), request: { kind: "users", filters: {} } }),
    );
    await expectValid(ReportGenerateV1, QUEUES.reportGenerate);
    // The receiver's hand-off to the sender, for a registration it stored.
    await runUntilStopped(startReceiver(loadReceiverEnv(bedEnv(bed))), stops);
    await bed.channel.purgeQueue(QUEUES.emailSend); // the hand-offs of the registrations above
    await bed.publisher.publish(UserRegistrationV1, testRegistration());
    await expectValid(EmailSendV1, QUEUES.emailSend);
  });
});
