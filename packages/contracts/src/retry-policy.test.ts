import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, DELIVERY_LIMIT, RetryDelaysMsSchema, retryDelayAfter, retryPolicy } from "./retry-policy";
import { QUEUES, queueTopology } from "./topology";

describe("the retry policy", () => {
  it("reads RETRY_DELAYS_MS as comma-separated milliseconds, 1 s, 5 s and 30 s when unset", () => {
    expect(RetryDelaysMsSchema.parse(undefined)).toEqual([1000, 5000, 30000]);
    expect(RetryDelaysMsSchema.parse("50,100")).toEqual([50, 100]);
    for (const bad of ["", "1s,2s", "1000,", "-5"]) {
      expect(RetryDelaysMsSchema.safeParse(bad).error?.issues[0]?.message).toBe(
        "must be comma-separated milliseconds, e.g. 1000,5000,30000",
      );
    }
  });

  it("runs a failing message once, then once more after each delay, then dead-letters it", () => {
    const policy = retryPolicy([50, 100]);
    expect(policy).toEqual({ delaysMs: [50, 100], attempts: 3, deliveryLimit: DELIVERY_LIMIT });
    expect([1, 2, 3].map((attempt) => retryDelayAfter(policy, attempt))).toEqual([50, 100, undefined]);
    expect(DEFAULT_RETRY_POLICY.attempts).toBe(4);
  });

  it("gives each work queue one delay queue per retry, between it and its dead letters", () => {
    expect(queueTopology(QUEUES.emailSend, retryPolicy([50, 100]))).toEqual([
      { name: "email.send", workQueue: "email.send", kind: "work" },
      { name: "email.send.retry.1", workQueue: "email.send", kind: "retry", delayMs: 50 },
      { name: "email.send.retry.2", workQueue: "email.send", kind: "retry", delayMs: 100 },
      { name: "email.send.dead", workQueue: "email.send", kind: "dead" },
    ]);
  });
});
