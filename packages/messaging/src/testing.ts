import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { UserRegistrationV1, createEnvelope, type UserRegistrationMessage } from "@userstream/contracts";
import { ownedName } from "@userstream/test-support";

const run = promisify(execFile);

/**
 * A fresh RabbitMQ virtual host for one test, so that tests keep the real queue names yet never
 * see each other's messages or what an earlier run left behind. Uses `rabbitmqctl`, which runs
 * on the broker's host (as it does here and in CI).
 */
export async function createTestVhost(prefix = "userstream-test"): Promise<{ url: string; drop(): Promise<void> }> {
  // The creating process is in the name: a sweep deletes it once that process is gone (a killed run).
  const vhost = ownedName(prefix, "-");
  const base = process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
  const user = new URL(base).username || "guest";
  await run("rabbitmqctl", ["-q", "add_vhost", vhost]);
  await run("rabbitmqctl", ["-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*"]);
  return {
    url: `${base.replace(/\/+$/, "")}/${encodeURIComponent(vhost)}`,
    async drop() {
      await run("rabbitmqctl", ["-q", "delete_vhost", vhost]);
    },
  };
}

/**
 * A valid `user.registration` message for a test: a registration id of its own and, unless
 * `person` says otherwise, Ada Lovelace at an address of her own.
 */
export function testRegistration(
  person: Partial<{ firstName: string; lastName: string; email: string }> = {},
): UserRegistrationMessage {
  return createEnvelope(UserRegistrationV1, {
    registrationId: randomUUID(),
    firstName: person.firstName ?? "Ada",
    lastName: person.lastName ?? "Lovelace",
    email: person.email ?? `${randomUUID()}@example.com`,
  });
}
