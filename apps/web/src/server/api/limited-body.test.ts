import { describe, expect, it } from "vitest";
import { withLimitedBody } from "./limited-body";

const post = (body: BodyInit) =>
  new Request("http://127.0.0.1/api/trpc/registration.submit", { method: "POST", body, duplex: "half" } as RequestInit);

describe("withLimitedBody", () => {
  it("passes a body up to the limit on, unchanged", async () => {
    const request = await withLimitedBody(post("x".repeat(1024)), 1024);
    expect(request).toBeInstanceOf(Request);
    expect(await (request as Request).text()).toBe("x".repeat(1024));
  });

  it("answers 413 for a longer body, also when it arrives in a stream without a length", async () => {
    const tooLong = await withLimitedBody(post("x".repeat(1025)), 1024);
    expect(tooLong).toBeInstanceOf(Response);
    expect((tooLong as Response).status).toBe(413);
    expect(await (tooLong as Response).json()).toEqual({ message: "Request body too large", code: "PAYLOAD_TOO_LARGE" });

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 100; i++) controller.enqueue(new Uint8Array(100));
        controller.close();
      },
    });
    expect(((await withLimitedBody(post(chunks), 1024)) as Response).status).toBe(413);
  });

  it("leaves GET requests alone", async () => {
    const get = new Request("http://127.0.0.1/api/trpc/users.list");
    expect(await withLimitedBody(get)).toBe(get);
  });
});
