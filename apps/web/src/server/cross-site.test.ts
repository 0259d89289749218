import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isCrossSiteRequest } from "./cross-site";

const APP = "https://userstream.example";

describe("isCrossSiteRequest", () => {
  it("goes by Sec-Fetch-Site when a browser sends it: only same-origin and none pass", () => {
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "same-origin" }), APP)).toBe(false);
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "none" }), APP)).toBe(false);
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "same-site" }), APP)).toBe(true);
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "cross-site" }), APP)).toBe(true);
    // Sec-Fetch-Site wins over an Origin that matches.
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "cross-site", origin: APP }), APP)).toBe(true);
    expect(isCrossSiteRequest(new Headers({ "sec-fetch-site": "same-origin", origin: "https://evil.example" }), APP)).toBe(false);
  });

  it("without Sec-Fetch-Site, needs Origin to be APP_URL's origin exactly", () => {
    expect(isCrossSiteRequest(new Headers({ origin: APP }), APP)).toBe(false);
    for (const origin of [
      "https://evil.example",
      "http://userstream.example",
      "https://userstream.example:8443",
      "https://api.userstream.example",
      "null",
    ]) {
      expect(isCrossSiteRequest(new Headers({ origin }), APP), origin).toBe(true);
    }
    expect(isCrossSiteRequest(new Headers({ origin: APP }), undefined)).toBe(true);
  });

  it("lets a request with neither header through: not a browser", () => {
    expect(isCrossSiteRequest(new Headers({ authorization: "Bearer usk_x" }), APP)).toBe(false);
  });
});

describe("crossSiteRefusal", () => {
  const request = (method: string, headers: Record<string, string>) => new Request(`${APP}/admin`, { method, headers });

  it("answers 403 to a cross-site POST, PUT, PATCH or DELETE, and lets reads through", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const refusal = crossSiteRefusal(request(method, { origin: "https://evil.example" }), APP);
      expect(refusal?.status, method).toBe(403);
      expect(await refusal?.json()).toEqual({
        code: "FORBIDDEN",
        message: "Requests from other sites may not change anything here.",
      });
    }
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(crossSiteRefusal(request(method, { "sec-fetch-site": "cross-site" }), APP), method).toBeNull();
    expect(crossSiteRefusal(request("POST", { "sec-fetch-site": "same-origin" }), APP)).toBeNull();
  });
});
