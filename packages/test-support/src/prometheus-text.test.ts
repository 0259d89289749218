import { describe, expect, it } from "vitest";
import { metricSample, sampleValue } from "./prometheus-text";

describe("metricSample", () => {
  const text = [
    "# TYPE receiver_messages_total counter",
    'receiver_messages_total{outcome="acked"} 12',
    'receiver_messages_total{outcome="retried"} 0',
  ].join("\n");

  it("reads a sample, 0 included", () => {
    expect(metricSample(text, 'receiver_messages_total{outcome="acked"}')).toBe(12);
    expect(metricSample(text, 'receiver_messages_total{outcome="retried"}')).toBe(0);
  });

  it("throws on a sample that is not there instead of reading it as 0", () => {
    expect(() => metricSample(text, 'receiver_messages_total{outcome="retired"}')).toThrow(/not found/);
  });
});

describe("sampleValue", () => {
  const text = [
    'http_requests_total{route="/a",status="200"} 3',
    'http_requests_total{route="/b",status="200"} 4',
    'http_requests_total{route="/b",status="500"} 1',
  ].join("\n");

  it("sums the samples whose labels include the given ones", () => {
    expect(sampleValue(text, "http_requests_total")).toBe(8);
    expect(sampleValue(text, "http_requests_total", { route: "/b" })).toBe(5);
  });

  it("says undefined, not 0, for a sample that is not there", () => {
    expect(sampleValue(text, "http_requests_total", { route: "/c" })).toBeUndefined();
  });
});
