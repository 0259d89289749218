import { describe, expect, it } from "vitest";
import { parseReplayArgs } from "./replay-dead-letters";

describe("replay-dead-letters arguments", () => {
  it("takes a queue of the topology and an optional limit", () => {
    expect(parseReplayArgs(["email.send"])).toEqual({ queue: "email.send" });
    expect(parseReplayArgs(["user.registration", "--limit", "10"])).toEqual({ queue: "user.registration", limit: 10 });
  });

  it.each([
    [[], /the queue: one of user.registration, email.send, report.generate, webhook.deliver/],
    [["email.send.dead"], /the queue: one of/],
    [["email.send", "--limit"], /--limit takes a whole number/],
    [["email.send", "--limit", "0"], /--limit takes a whole number/],
    [["email.send", "--limit", "2.5"], /--limit takes a whole number/],
    [["email.send", "--all"], /--limit takes a whole number/],
  ])("refuses %j with a usage message", (argv, message) => {
    expect(() => parseReplayArgs(argv)).toThrow(message);
    expect(() => parseReplayArgs(argv)).toThrow(/usage: replay-dead-letters/);
  });
});
