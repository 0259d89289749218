import { describe, expect, it } from "vitest";
import { isPublicAddress, resolveTarget, TargetRefusedError } from "./network-target";

describe("webhook targets", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.1.10",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "ff02::1",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it("refuses a name or a literal that is not public, and names the address", async () => {
    await expect(resolveTarget("localhost", { allowPrivate: false })).rejects.toThrow(TargetRefusedError);
    await expect(resolveTarget("localhost", { allowPrivate: false })).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1)/);
    await expect(resolveTarget("[::1]", { allowPrivate: false })).rejects.toThrow(/^::1 is a private, loopback/);
    await expect(resolveTarget("10.0.0.7", { allowPrivate: false })).rejects.toThrow(/10\.0\.0\.7 is a private/);
  });

  it("lets them through when private targets are allowed", async () => {
    expect(await resolveTarget("127.0.0.1", { allowPrivate: true })).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect((await resolveTarget("localhost", { allowPrivate: true })).length).toBeGreaterThan(0);
  });

  it("accepts a public literal without asking DNS", async () => {
    expect(await resolveTarget("8.8.8.8", { allowPrivate: false })).toEqual([{ address: "8.8.8.8", family: 4 }]);
  });
});
