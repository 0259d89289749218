import { describe, expect, it } from "vitest";
import { brokerUrlsSchema, failoverOrder, parseBrokerUrls } from "./broker-urls";

describe("AMQP_URL: one broker or a cluster's nodes", () => {
  it("reads one URL, or several separated by commas (spaces around them allowed), in their order", () => {
    expect(parseBrokerUrls("amqp://guest:guest@127.0.0.1:5672")).toEqual(["amqp://guest:guest@127.0.0.1:5672"]);
    expect(parseBrokerUrls("amqps://u:p@rabbit-0:5671/prod, amqps://u:p@rabbit-1:5671/prod ,amqp://u:p@rabbit-2/prod")).toEqual([
      "amqps://u:p@rabbit-0:5671/prod",
      "amqps://u:p@rabbit-1:5671/prod",
      "amqp://u:p@rabbit-2/prod",
    ]);
  });

  it("refuses an empty value, an empty entry, another scheme or a repeated node, naming the entry but never its password", () => {
    expect(() => parseBrokerUrls("")).toThrow("required: an amqp:// or amqps:// URL");
    expect(() => parseBrokerUrls("amqp://a:secret@n1,,amqp://a:secret@n2")).toThrow("address 2 of 3: empty");
    expect(() => parseBrokerUrls("amqp://a:secret@n1,")).toThrow("address 2 of 2: empty");
    expect(() => parseBrokerUrls("http://a:secret@n1")).toThrow("must be an amqp:// or amqps:// URL");
    expect(() => parseBrokerUrls("amqp://a:secret@n1, n2:5672")).toThrow("address 2 of 2: must be an amqp:// or amqps:// URL");
    expect(() => parseBrokerUrls("amqp://a:secret@n1,amqp://a:secret@n1")).toThrow("address 2 of 2: given twice");
    for (const bad of ["amqp://a:secret@n1,,", "http://a:secret@n1", "amqp://a:secret@n1,amqp://a:secret@n1"]) {
      expect(() => parseBrokerUrls(bad)).toThrow(expect.objectContaining({ message: expect.not.stringContaining("secret") }));
    }
  });

  it("as the env loaders' schema: keeps the value as written, reports a bad one as an issue", () => {
    expect(brokerUrlsSchema.parse("amqp://n1,amqp://n2")).toBe("amqp://n1,amqp://n2");
    const result = brokerUrlsSchema.safeParse("amqp://n1,ftp://n2");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["address 2 of 2: must be an amqp:// or amqps:// URL"]);
  });
});

describe("failover order", () => {
  it("starts with the first node, then after a lost node tries the ones after it, wrapping round, the lost one last", () => {
    expect(failoverOrder(3)).toEqual([0, 1, 2]);
    expect(failoverOrder(3, 0)).toEqual([1, 2, 0]);
    expect(failoverOrder(3, 1)).toEqual([2, 0, 1]);
    expect(failoverOrder(3, 2)).toEqual([0, 1, 2]);
    expect(failoverOrder(1, 0)).toEqual([0]);
  });
});
