import { describe, expect, it } from "vitest";
import { RegistrationInputSchema, UserUpdateSchema, fieldErrors } from "./registration";

const valid = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

function errorsFor(input: Record<string, unknown>) {
  const result = RegistrationInputSchema.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
}

describe("RegistrationInputSchema: names", () => {
  it.each([
    ["Zoë", "Ødegård"],
    ["José María", "García-Márquez"],
    ["Seán", "O'Brien"],
    ["J.R.R.", "Tolkien"],
    ["Владимир", "Набоков"],
    ["小林", "一茶"],
    ["محمد", "عبد الله"],
    ["देवनागरी", "हिन्दी"],
  ])("accepts %s %s", (firstName, lastName) => {
    expect(RegistrationInputSchema.parse({ ...valid, firstName, lastName })).toMatchObject({ firstName, lastName });
  });

  it("trims surrounding spaces", () => {
    expect(RegistrationInputSchema.parse({ ...valid, firstName: "  Ada  " }).firstName).toBe("Ada");
  });

  it.each([
    ["", "First name is required"],
    ["   ", "First name is required"],
    ["a".repeat(101), "First name must be at most 100 characters"],
    ["Robert'); DROP TABLE users;--", "First name may contain only letters, spaces, apostrophes, hyphens and periods"],
    ["<script>", "First name may contain only letters, spaces, apostrophes, hyphens and periods"],
    ["R2D2", "First name may contain only letters, spaces, apostrophes, hyphens and periods"],
    ["Ada\u0000", "First name must not contain control characters"],
    ["Ada\r\nBcc: x@example.com", "First name must not contain control characters"],
  ])("rejects %j", (firstName, message) => {
    expect(errorsFor({ ...valid, firstName })).toEqual({ firstName: message });
  });

  it("accepts exactly 100 characters", () => {
    expect(errorsFor({ ...valid, lastName: "b".repeat(100) })).toEqual({});
  });

  it("reports a missing field by name", () => {
    expect(errorsFor({ firstName: "Ada", email: "ada@example.com" })).toEqual({ lastName: "Last name is required" });
  });
});

describe("RegistrationInputSchema: email", () => {
  it("trims and lower-cases", () => {
    expect(RegistrationInputSchema.parse({ ...valid, email: "  Ada.Lovelace+news@Example.COM " }).email).toBe(
      "ada.lovelace+news@example.com",
    );
  });

  it("accepts 254 characters with a 64-character local part", () => {
    const email = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
    expect(email).toHaveLength(254);
    expect(errorsFor({ ...valid, email })).toEqual({});
  });

  it.each([
    ["", "Email is required"],
    ["not-an-email", "Enter an email address like name@example.com"],
    ["a@b", "Enter an email address like name@example.com"],
    ["a@@example.com", "Enter an email address like name@example.com"],
    [".a@example.com", "Enter an email address like name@example.com"],
    ["a..b@example.com", "Enter an email address like name@example.com"],
    ['"quoted"@example.com', "Email must not contain quotes, spaces or control characters"],
    ["a b@example.com", "Email must not contain quotes, spaces or control characters"],
    ["a\u0007b@example.com", "Email must not contain quotes, spaces or control characters"],
    ["ada@example.com\r\nBcc: x@example.com", "Email must not contain quotes, spaces or control characters"],
    [`${"a".repeat(65)}@example.com`, "The part before @ must be at most 64 characters"],
  ])("rejects %j", (email, message) => {
    expect(errorsFor({ ...valid, email })).toEqual({ email: message });
  });

  it("rejects 255 characters", () => {
    const email = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`;
    expect(email).toHaveLength(255);
    expect(errorsFor({ ...valid, email })).toEqual({ email: "Email must be at most 254 characters" });
  });

  it("rejects non-string input with a clear message", () => {
    expect(errorsFor({ ...valid, email: 42 })).toEqual({ email: "Email is required" });
  });
});

describe("UserUpdateSchema", () => {
  function updateErrors(input: Record<string, unknown>) {
    const result = UserUpdateSchema.safeParse(input);
    return result.success ? {} : fieldErrors(result.error);
  }

  it("accepts either name or both, trimmed", () => {
    expect(UserUpdateSchema.parse({ firstName: " Ada " })).toEqual({ firstName: "Ada" });
    expect(UserUpdateSchema.parse({ lastName: "Byron" })).toEqual({ lastName: "Byron" });
    expect(UserUpdateSchema.parse({ firstName: "Ada", lastName: "King" })).toEqual({ firstName: "Ada", lastName: "King" });
  });

  it("validates names like a registration", () => {
    expect(updateErrors({ firstName: "<img src=x onerror=alert(1)>", lastName: "" })).toEqual({
      firstName: "First name may contain only letters, spaces, apostrophes, hyphens and periods",
      lastName: "Last name is required",
    });
  });

  it("refuses any other field, the email included", () => {
    expect(updateErrors({ firstName: "Ada", email: "someone@example.com" })).toEqual({
      form: "Only firstName and lastName can be changed",
    });
  });
});
