import type { PrismaClient } from "@userstream/db";
import { PublishError, type Publisher } from "@userstream/messaging";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { REGISTRATION_UNAVAILABLE_MESSAGE } from "~/lib/registration-messages";
import { appRouter } from "./root";

/** A publisher that fails the way the real one does when the broker is down. */
const brokerDown: Publisher = {
  publish: () => Promise.reject(new PublishError("could not publish to user.registration")),
  replayParked: () => Promise.reject(new PublishError("could not replay parked messages of email.send")),
  isConnected: () => false,
  close: () => Promise.resolve(),
};
const unexpectedFailure: Publisher = { ...brokerDown, publish: () => Promise.reject(new Error("socket at 10.0.0.7 hung up")) };

async function submit(input: unknown, publisher: Publisher) {
  const req = new Request("http://127.0.0.1/api/trpc/registration.submit", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    // These paths never reach the database.
    createContext: () => ({ headers: req.headers, db: {} as PrismaClient, publisher, adminSession: null }),
  });
  const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return { status: response.status, error: body.error.json };
}

describe("tRPC errors as the browser sees them", () => {
  it("puts the form's field errors into error.data for invalid input", async () => {
    const { status, error } = await submit({ firstName: "Ada", lastName: "Lovelace", email: "ada" }, brokerDown);
    expect(status).toBe(400);
    expect(error.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { email: "Enter an email address like name@example.com" },
    });
  });

  it("answers a broker failure with 503 and the registration message, never success", async () => {
    const { status, error } = await submit({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }, brokerDown);
    expect(status).toBe(503);
    expect(error.message).toBe(REGISTRATION_UNAVAILABLE_MESSAGE);
    expect(error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", fieldErrors: null });
  });

  it("does not leak an unexpected error's message", async () => {
    const { status, error } = await submit(
      { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
      unexpectedFailure,
    );
    expect(status).toBe(500);
    expect(error.message).not.toContain("10.0.0.7");
  });
});
