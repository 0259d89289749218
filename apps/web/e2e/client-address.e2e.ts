import { expect, test } from "@playwright/test";
import { runTrustedProxyScenario, TRUSTED_PROXY_SCENARIO_ENV } from "../src/server/trusted-proxy-scenario";
import { startAnotherWeb, type StartedServer } from "./servers";

let proxied: { server: StartedServer; url: string } | undefined;

test.afterAll(async () => {
  await proxied?.server.stop();
});

test("Next's server reads X-Forwarded-For only from the proxies in TRUSTED_PROXIES, and counts IPv6 clients by /64", async () => {
  // A server of its own: the run's web trusts no proxy, and its registration limit is high.
  proxied = await startAnotherWeb("web-behind-proxy", TRUSTED_PROXY_SCENARIO_ENV);
  const { got, expected } = await runTrustedProxyScenario(proxied.url);
  expect(got).toEqual(expected);
});
