import { describe, expect, it } from "vitest";
import { createEnvelope } from "./envelope";
import { UserRegistrationV1 } from "./messages/user-registration";

const payload = { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

describe("message envelopes", () => {
  it("builds a versioned envelope the contract accepts", () => {
    const envelope = createEnvelope(UserRegistrationV1, payload);
    expect(UserRegistrationV1.schema.parse(envelope)).toEqual(envelope);
    expect(envelope).toMatchObject({ type: "user.registration", version: 1, payload });
  });

  it.each([
    ["another version", { version: 2 }],
    ["another type", { type: "email.send" }],
    ["a non-uuid id", { id: "42" }],
    ["a bad timestamp", { occurredAt: "yesterday" }],
  ])("rejects %s", (_label, change) => {
    expect(UserRegistrationV1.schema.safeParse({ ...createEnvelope(UserRegistrationV1, payload), ...change }).success).toBe(false);
  });

  it("validates the payload with the registration rules", () => {
    const envelope = createEnvelope(UserRegistrationV1, { ...payload, email: "not-an-email" });
    expect(UserRegistrationV1.schema.safeParse(envelope).success).toBe(false);
  });
});
