import { describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../receiver/env";

describe("worker environment", () => {
  it("has working local defaults", () => {
    const env = loadReceiverEnv({});
    expect(env).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/userstream",
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      RECEIVER_PORT: 8081,
      RETRY_DELAYS_MS: [1000, 5000, 30000],
    });
  });

  it("treats empty values as unset", () => {
    expect(loadReceiverEnv({ RECEIVER_PORT: "" }).RECEIVER_PORT).toBe(8081);
  });

  it.each([
    ["RECEIVER_PORT", "eighty"],
    ["RECEIVER_PREFETCH", "0"],
    ["DATABASE_URL", "not a url"],
    ["RETRY_DELAYS_MS", "1s,2s"],
    ["LOG_LEVEL", "loud"],
  ])("names the bad variable %s", (name, value) => {
    expect(() => loadReceiverEnv({ [name]: value })).toThrow(new RegExp(`Invalid environment variables:\\n  ${name}: `));
  });
});
