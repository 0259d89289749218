import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEnvelope } from "./envelope";
import { EmailSendV1 } from "./messages/email-send";
import { UserRegistrationV1 } from "./messages/user-registration";
import { RegistrationInputSchema, fieldErrors } from "./registration";

const FIELDS = ["firstName", "lastName", "email"];
// Every kind of code point, lone surrogates and control characters included.
const anyText = fc.string({ unit: "binary", maxLength: 300 });

/** Valid names by construction: letters of several scripts, combining marks, and the allowed punctuation. */
const nameChar = fc.constantFrom(..."AaZzéÉłŁßñÑЖжΩωحعשא中文한글ひらがなअ", "e\u0301", " ", "'", "’", "-", ".");
const validName = fc
  .array(nameChar, { minLength: 1, maxLength: 40 })
  .map((chars) => chars.join(""))
  .filter((name) => name.trim().length > 0 && name.trim().length <= 100);
const validEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9_+-]{1,20}(\.[a-z0-9]{1,10})?$/), fc.stringMatching(/^[a-z0-9]{1,20}\.[a-z]{2,10}$/))
  .map(([local, domain]) => `${local}@${domain}`);

describe("registration contract (property-based)", () => {
  it("never throws on arbitrary strings: valid, or a message per known field", () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (firstName, lastName, email) => {
        const result = RegistrationInputSchema.safeParse({ firstName, lastName, email });
        if (result.success) return;
        const errors = fieldErrors(result.error);
        expect(Object.keys(errors).every((field) => FIELDS.includes(field))).toBe(true);
        expect(Object.values(errors).every((message) => typeof message === "string" && message.length > 0)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("never throws on arbitrary values, as input or as a queue message", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(RegistrationInputSchema.safeParse(value).success).toBe(false);
        expect(typeof UserRegistrationV1.schema.safeParse(value).success).toBe("boolean");
        expect(typeof EmailSendV1.schema.safeParse(value).success).toBe("boolean");
      }),
      { numRuns: 1_000 },
    );
  });

  it("keeps a valid registration unchanged through validation, the envelope and the queue's JSON", () => {
    fc.assert(
      fc.property(validName, validName, validEmail, (firstName, lastName, email) => {
        const input = RegistrationInputSchema.parse({ firstName, lastName, email });
        expect(input).toEqual({ firstName: firstName.trim(), lastName: lastName.trim(), email });
        // Validating again changes nothing: what the web accepted, a worker accepts as is.
        expect(RegistrationInputSchema.parse(input)).toEqual(input);
        const registrationId = crypto.randomUUID();
        const envelope = createEnvelope(UserRegistrationV1, { ...input, registrationId }, registrationId);
        const received = UserRegistrationV1.schema.parse(JSON.parse(JSON.stringify(envelope)));
        expect(received.payload).toEqual({ ...input, registrationId });
      }),
      { numRuns: 500 },
    );
  });
});
