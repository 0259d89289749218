import { describe, expect, it } from "vitest";
import { REST_SUCCESS_STATUS, toRestErrorBody } from "./rest-errors";

describe("toRestErrorBody", () => {
  it("turns a validation error into { errors: { field: message } }", () => {
    const trpcBody = {
      message: "Input validation failed",
      code: "BAD_REQUEST",
      data: { code: "BAD_REQUEST", httpStatus: 400, fieldErrors: { email: "Email is required" } },
      issues: [{ path: ["email"], message: "Email is required" }],
    };
    expect(toRestErrorBody(400, trpcBody)).toEqual({ errors: { email: "Email is required" } });
  });

  it("keeps the { errors } shape for a 400 without field errors, such as a body that is not JSON", () => {
    const trpcBody = { message: "Failed to parse request body", code: "PARSE_ERROR", data: { fieldErrors: null } };
    expect(toRestErrorBody(400, trpcBody)).toEqual({ errors: { form: "Failed to parse request body" } });
  });

  it("answers other errors with their message and code only (no stack, path or issues)", () => {
    const trpcBody = {
      message: "We could not accept your registration right now. Please try again.",
      code: "SERVICE_UNAVAILABLE",
      data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, stack: "Error: at …", path: "registration.submit" },
    };
    expect(toRestErrorBody(503, trpcBody)).toEqual({
      message: "We could not accept your registration right now. Please try again.",
      code: "SERVICE_UNAVAILABLE",
    });
  });

  it("says whether a publish the broker did not confirm may still arrive", () => {
    const unconfirmed = { message: "We could not confirm …", code: "SERVICE_UNAVAILABLE", data: { outcome: "unknown" } };
    expect(toRestErrorBody(503, unconfirmed)).toEqual({
      message: "We could not confirm …",
      code: "SERVICE_UNAVAILABLE",
      outcome: "unknown",
    });
    const refused = { message: "We could not accept …", code: "SERVICE_UNAVAILABLE", data: { outcome: "refused" } };
    expect(toRestErrorBody(503, refused)).toEqual({
      message: "We could not accept …",
      code: "SERVICE_UNAVAILABLE",
      outcome: "refused",
    });
    // Only the two outcomes the contract names are passed on.
    const odd = { message: "Odd", code: "SERVICE_UNAVAILABLE", data: { outcome: "<script>" } };
    expect(toRestErrorBody(503, odd)).toEqual({ message: "Odd", code: "SERVICE_UNAVAILABLE" });
  });

  it("still answers something readable when the body is not the tRPC shape", () => {
    expect(toRestErrorBody(500, null)).toEqual({
      message: "Something went wrong. Please try again.",
      code: "INTERNAL_SERVER_ERROR",
    });
    expect(toRestErrorBody(400, "oops")).toEqual({ errors: { form: "Something went wrong. Please try again." } });
  });

  it("answers 202 for an accepted registration", () => {
    expect(REST_SUCCESS_STATUS["registration.submit"]).toBe(202);
  });
});
