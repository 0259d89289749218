import { describe, expect, it } from "vitest";
import { parseTrustedProxies } from "../config/ip-addresses";
import { addressLimitKey, CLIENT_ADDRESS_HEADER, clientAddress, clientLimitKey } from "./client-address";

const request = (peer: string | null, forwardedFor?: string) =>
  new Headers({
    ...(peer ? { [CLIENT_ADDRESS_HEADER]: peer } : {}),
    ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
  });

describe("parseTrustedProxies", () => {
  it("reads addresses and CIDR ranges, IPv4 and IPv6, and checks membership", () => {
    const proxies = parseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:DB8:1::/48,::1, ::ffff:198.51.100.9");
    expect(proxies.entries).toEqual(["10.0.0.0/8", "192.0.2.7", "2001:db8:1::/48", "::1", "198.51.100.9"]);
    expect(proxies.has("10.200.3.4")).toBe(true);
    expect(proxies.has("11.0.0.1")).toBe(false);
    expect(proxies.has("192.0.2.7")).toBe(true);
    expect(proxies.has("192.0.2.8")).toBe(false);
    expect(proxies.has("2001:db8:1:ffff::1")).toBe(true);
    expect(proxies.has("2001:db8:2::1")).toBe(false);
    expect(proxies.has("198.51.100.9")).toBe(true);
    expect(proxies.has("unknown")).toBe(false);
  });

  it("trusts nothing when empty", () => {
    expect(parseTrustedProxies("").entries).toEqual([]);
    expect(parseTrustedProxies(" , ").has("127.0.0.1")).toBe(false);
  });

  it("refuses anything that is not an address or range, naming every such entry", () => {
    expect(() =>
      parseTrustedProxies("10.0.0.0/33, proxy.internal, 10.0.0.1, 2001:db8::/129, 10.0.0.0/8/1, 10.0.0.0/, 1.2.3.4/-1"),
    ).toThrow(
      '"10.0.0.0/33", "proxy.internal", "2001:db8::/129", "10.0.0.0/8/1", "10.0.0.0/", "1.2.3.4/-1": not an IP address or CIDR range',
    );
  });
});

describe("clientAddress", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8, 2001:db8:ff::/48");

  it("is the connection's address, whatever X-Forwarded-For says, when the connection is not a trusted proxy", () => {
    expect(clientAddress(request("::ffff:203.0.113.7", "198.51.100.1"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(request("203.0.113.7", "10.0.0.1"), parseTrustedProxies(""))).toBe("203.0.113.7");
    expect(clientAddress(request(null, "198.51.100.1"), proxies)).toBe("unknown");
  });

  it("walks X-Forwarded-For from the right past trusted proxies; what the client wrote further left is never read", () => {
    expect(clientAddress(request("10.0.0.2", "1.2.3.4, 203.0.113.7"), proxies)).toBe("203.0.113.7");
    // Two proxies of ours (a load balancer behind a CDN of ours): both skipped.
    expect(clientAddress(request("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.9.9.9, 2001:db8:ff:1::5"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(request("10.0.0.2", " 2001:DB8::7 "), proxies)).toBe("2001:db8::7");
  });

  it("keeps the last trusted hop when the header is missing, holds only proxies, or is broken", () => {
    expect(clientAddress(request("10.0.0.2"), proxies)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", "10.0.0.3"), proxies)).toBe("10.0.0.3");
    expect(clientAddress(request("10.0.0.2", "203.0.113.7, not-an-address, 10.0.0.3"), proxies)).toBe("10.0.0.3");
  });
});

describe("addressLimitKey", () => {
  it("keeps IPv4 as it is, and an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(addressLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressLimitKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
  });

  it("groups IPv6 by /64, one key for every spelling", () => {
    const key = "2001:db8:0:12::/64";
    for (const address of [
      "2001:db8:0:12::1",
      "2001:DB8:0:12:ffff:ffff:ffff:fffe",
      "2001:0db8:0000:0012:0:0:0:1",
      "2001:db8::12:0:0:0:9",
      "2001:db8:0:12::1%eth0",
    ]) {
      expect(addressLimitKey(address), address).toBe(key);
    }
    expect(addressLimitKey("2001:db8:0:13::1")).toBe("2001:db8:0:13::/64");
    expect(addressLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(addressLimitKey("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("leaves what is not an address as it is", () => {
    expect(addressLimitKey("unknown")).toBe("unknown");
  });

  it("is what clientLimitKey gives for a request", () => {
    expect(clientLimitKey(request("10.0.0.2", "2001:db8:5:6:7::8"), parseTrustedProxies("10.0.0.2"))).toBe("2001:db8:5:6::/64");
  });
});
