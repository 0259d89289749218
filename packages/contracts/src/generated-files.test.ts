import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import asyncApiSpecs from "@asyncapi/specs";
import { jsonSchemaValidator as validator } from "@userstream/test-support/json-schema";
import { describe, expect, it } from "vitest";
import { createAsyncApiDocument } from "./asyncapi";
import { createEnvelope } from "./envelope";
import { generatedContractFiles } from "./generated-files";
import { DEAD_LETTER_REASONS, QUEUES } from "./topology";
import { UserRegistrationV1 } from "./messages/user-registration";

const root = new URL("..", import.meta.url);
const committed = (file: string) => readFile(fileURLToPath(new URL(file, root)), "utf8");

describe("generated contracts (asyncapi.json, schemas/)", () => {
  it.each(Object.entries(generatedContractFiles()))("%s is committed as the zod contracts generate it", async (file, content) => {
    // When this fails: pnpm --filter @userstream/contracts generate:schemas, and commit the result.
    expect(await committed(file)).toBe(content);
  });

  it("is a valid AsyncAPI 3.0 document naming every queue, retry and parking queue", () => {
    const document = createAsyncApiDocument();
    // The specification's schema carries its own copy of the draft-07 meta-schema, which ajv would have twice.
    const validate = validator({ meta: false }).compile(asyncApiSpecs.schemas["3.0.0"]);
    expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // AsyncAPI 2's verbs are not AsyncAPI 3's: the validator tells them apart.
    expect(
      validate({ ...document, operations: { old: { action: "publish", channel: { $ref: "#/channels/userRegistration" } } } }),
    ).toBe(false);
    const addresses = Object.values(document.channels as Record<string, { address: string }>).map((channel) => channel.address);
    for (const queue of Object.values(QUEUES)) {
      expect(addresses).toEqual(expect.arrayContaining([queue, `${queue}.retry.1`, `${queue}.retry.3`, `${queue}.dead`]));
    }
    expect(JSON.stringify(document.components.messages.parked)).toContain(DEAD_LETTER_REASONS.unsupportedVersion);
  });

  it("gives producers a JSON Schema that takes what the contract takes and refuses what it refuses", async () => {
    const validate = validator().compile(JSON.parse(await committed("schemas/user.registration.v1.json")) as object);
    const payload = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };
    const fromPython = { ...createEnvelope(UserRegistrationV1, payload), occurredAt: "2026-03-01T12:00:00.123456+00:00" };
    expect(validate(fromPython), JSON.stringify(validate.errors)).toBe(true);
    expect(UserRegistrationV1.schema.safeParse(fromPython).success).toBe(true);
    for (const bad of [
      { ...fromPython, version: 2 },
      { ...fromPython, occurredAt: "2026-03-01 12:00" },
      { ...fromPython, payload: { ...payload, registrationId: "42" } },
      { ...fromPython, payload: { firstName: "Ada", lastName: "Lovelace" } },
    ]) {
      expect(validate(bad)).toBe(false);
      expect(UserRegistrationV1.schema.safeParse(bad).success).toBe(false);
    }
  });
});
