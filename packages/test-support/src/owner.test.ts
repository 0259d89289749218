import { describe, expect, it } from "vitest";
import { currentOwner, ownedName, ownerOfName, ownerState } from "./owner";

describe("owned names", () => {
  it("carry their owner, this process, which is alive", () => {
    for (const name of [ownedName("userstream_web_reports_api"), ownedName("userstream-e2e", "-")]) {
      expect(ownerOfName(name)).toEqual(currentOwner());
      expect(ownerState(currentOwner())).toBe("alive");
    }
  });

  it("fit PostgreSQL's 63-character names with the longest prefix allowed", () => {
    expect(ownedName("userstream_".padEnd(31, "x")).length).toBeLessThanOrEqual(63);
  });

  it("say gone for a pid that now runs a later process, unknown for another boot or namespace", () => {
    const owner = currentOwner();
    expect(ownerState({ ...owner, started: "0" })).toBe("gone");
    expect(ownerState({ ...owner, host: owner.host === "000000" ? "ffffff" : "000000" })).toBe("unknown");
  });

  it("leave every other name alone: names of older runs and names not made by the tests", () => {
    expect(ownerOfName("userstream_test_0123456789abcdef0123456789abcdef")).toBeUndefined();
    expect(ownerOfName("userstream")).toBeUndefined();
    expect(ownerOfName("postgres")).toBeUndefined();
    expect(ownerOfName("other_p1t1habcdef_00")).toBeUndefined();
  });
});
