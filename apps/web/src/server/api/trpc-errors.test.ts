import type { PrismaClient } from "@userstream/db";
import { PublishError, type Publisher } from "@userstream/messaging";
import { TRPCClientError, createTRPCClient, httpBatchStreamLink } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import {
  REGISTRATION_UNAVAILABLE_MESSAGE,
  REGISTRATION_UNCONFIRMED_MESSAGE,
  registrationFailureMessage,
} from "~/lib/registration-messages";
import { appRouter, type AppRouter } from "./root";

/** A publisher that fails the way the real one does when the broker is down. */
const brokerDown: Publisher = {
  publish: () => Promise.reject(new PublishError("could not publish to user.registration", { outcome: "refused" })),
  replayParked: () => Promise.reject(new PublishError("could not replay parked messages of email.send", { outcome: "refused" })),
  isConnected: () => false,
  close: () => Promise.resolve(),
};
/** …and the way it fails when it sent the message but the broker did not confirm it in time (a resource alarm). */
const notConfirmed: Publisher = {
  ...brokerDown,
  publish: () => Promise.reject(new PublishError("could not publish to user.registration", { outcome: "unknown" })),
};
const unexpectedFailure: Publisher = { ...brokerDown, publish: () => Promise.reject(new Error("socket at 10.0.0.7 hung up")) };

/** The app's tRPC handler with `publisher`, as /api/trpc serves it. */
function handle(req: Request, publisher: Publisher) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    // These paths never reach the database.
    createContext: () => ({ headers: req.headers, db: {} as PrismaClient, publisher, adminSession: null }),
  });
}

async function submit(input: unknown, publisher: Publisher) {
  const req = new Request("http://127.0.0.1/api/trpc/registration.submit", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  const response = await handle(req, publisher);
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
    expect(error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", fieldErrors: null, outcome: "refused" });
  });

  it("answers a publish sent but not confirmed with 503 saying it may still go through", async () => {
    const { status, error } = await submit({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }, notConfirmed);
    expect(status).toBe(503);
    expect(error.message).toBe(REGISTRATION_UNCONFIRMED_MESSAGE);
    expect(error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", fieldErrors: null, outcome: "unknown" });
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

describe("what the registration form says when a submit is not accepted", () => {
  const ada = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

  /** The error the form's mutation receives, through the same client link as the page. */
  async function failureOf(fetchResponse: (req: Request) => Promise<Response>): Promise<string> {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchStreamLink({
          transformer: superjson,
          url: "http://127.0.0.1/api/trpc",
          fetch: (url, init) => fetchResponse(new Request(url, init)),
        }),
      ],
    });
    const error = await client.registration.submit.mutate(ada).then(
      () => expect.fail("the registration was accepted"),
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    return registrationFailureMessage(error as TRPCClientError<AppRouter>);
  }

  it("says nothing was accepted when the broker refused it, and to try again", async () => {
    expect(await failureOf((req) => handle(req, brokerDown))).toBe(REGISTRATION_UNAVAILABLE_MESSAGE);
  });

  it("says it may still go through, and that trying again is safe, when it was sent but not confirmed", async () => {
    expect(await failureOf((req) => handle(req, notConfirmed))).toBe(REGISTRATION_UNCONFIRMED_MESSAGE);
  });

  it("says the same when the server's answer never came (it may have accepted the registration)", async () => {
    expect(await failureOf(() => Promise.reject(new TypeError("Failed to fetch")))).toBe(REGISTRATION_UNCONFIRMED_MESSAGE);
  });

  it("says it was not accepted after an unexpected server error, without its details", async () => {
    expect(await failureOf((req) => handle(req, unexpectedFailure))).toBe(REGISTRATION_UNAVAILABLE_MESSAGE);
  });
});
