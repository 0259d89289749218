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
    ["a timestamp without an offset", { occurredAt: "2026-03-01T12:00:00" }],
  ])("rejects %s", (_label, change) => {
    expect(UserRegistrationV1.schema.safeParse({ ...createEnvelope(UserRegistrationV1, payload), ...change }).success).toBe(
      false,
    );
  });

  it("validates the payload with the registration rules", () => {
    const envelope = createEnvelope(UserRegistrationV1, { ...payload, email: "not-an-email" });
    expect(UserRegistrationV1.schema.safeParse(envelope).success).toBe(false);
  });

  it.each([
    ["Z", "2026-03-01T12:00:00Z", "2026-03-01T12:00:00.000Z"],
    ["+00:00 from Python's isoformat()", "2026-03-01T12:00:00.123456+00:00", "2026-03-01T12:00:00.123Z"],
    ["+02:00", "2026-03-01T14:00:00+02:00", "2026-03-01T12:00:00.000Z"],
    ["-05:30", "2026-03-01T06:30:00.5-05:30", "2026-03-01T12:00:00.500Z"],
  ])("accepts occurredAt with %s and reads it as UTC", (_label, occurredAt, utc) => {
    const parsed = UserRegistrationV1.schema.parse({ ...createEnvelope(UserRegistrationV1, payload), occurredAt });
    expect(parsed.occurredAt).toBe(utc);
  });

  it("defaults a missing registrationId to the envelope id", () => {
    const { registrationId: _left, ...withoutId } = payload;
    const envelope = createEnvelope(UserRegistrationV1, withoutId);
    expect(UserRegistrationV1.schema.parse(envelope).payload.registrationId).toBe(envelope.id);
  });

  it("ignores fields it does not name, in the envelope and the payload", () => {
    const envelope = { ...createEnvelope(UserRegistrationV1, { ...payload, nickname: "Countess" }), traceparent: "00-abc" };
    const parsed = UserRegistrationV1.schema.parse(envelope);
    expect(parsed).not.toHaveProperty("traceparent");
    expect(parsed.payload).toEqual(payload);
  });
});
