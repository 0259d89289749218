import { expect, test } from "@playwright/test";
import { startAnotherWeb } from "./servers";

const HSTS = "max-age=63072000; includeSubDomains";
// A page, an API answer and a static file: every kind of answer.
const PATHS = ["/", "/api/health", "/icon.svg"];

test("HSTS is sent with every answer when APP_URL is https, and never when it is http", async ({ request }) => {
  // This run's server: APP_URL is http://127.0.0.1:…
  for (const path of PATHS) {
    const answer = await request.get(path);
    expect(answer.ok(), path).toBe(true);
    expect(answer.headers()["strict-transport-security"], path).toBeUndefined();
  }

  // The same build started behind an https address (TLS ends at a proxy in front of it).
  const secure = await startAnotherWeb("web-https", { APP_URL: "https://userstream.example" });
  try {
    for (const path of PATHS) {
      const answer = await request.get(`${secure.url}${path}`);
      expect(answer.ok(), path).toBe(true);
      expect(answer.headers()["strict-transport-security"], path).toBe(HSTS);
    }
  } finally {
    await secure.server.stop();
  }
});
