/**
 * One scenario run against both servers that take registrations (the API server in its
 * integration test, Next's built server in the e2e run), so that both are shown to find the
 * client's address the same way. Test code only.
 */
import { requestFrom } from "@userstream/test-support";

/** The settings the scenario expects of the server under test. */
export const TRUSTED_PROXY_SCENARIO_ENV = { TRUSTED_PROXIES: "127.0.0.1", REGISTRATION_RATE_LIMIT: "2" };

/** A registration sent from `from` with `forwardedFor`, and the status it must get. */
interface Step {
  from: string;
  forwardedFor: string;
  expected: number;
}

// Each request's body is empty, so an allowed one is answered 400 (the input is checked after the
// limit is counted) and nothing is queued; a refused one gets 429.
const ALLOWED = 400;
const LIMITED = 429;

const TRUSTED_PROXY_SCENARIO: Step[] = [
  // 127.0.0.2 is not a trusted proxy: a new made-up X-Forwarded-For each time is still one client.
  { from: "127.0.0.2", forwardedFor: "198.51.100.1", expected: ALLOWED },
  { from: "127.0.0.2", forwardedFor: "198.51.100.2", expected: ALLOWED },
  { from: "127.0.0.2", forwardedFor: "198.51.100.3", expected: LIMITED },
  // 127.0.0.1 is: the address it appended is the client's, whatever the client wrote before it.
  { from: "127.0.0.1", forwardedFor: "203.0.113.5", expected: ALLOWED },
  { from: "127.0.0.1", forwardedFor: "192.0.2.1, 203.0.113.5", expected: ALLOWED },
  { from: "127.0.0.1", forwardedFor: "192.0.2.2, 203.0.113.5", expected: LIMITED },
  { from: "127.0.0.1", forwardedFor: "203.0.113.6", expected: ALLOWED },
  // Two IPv6 addresses of one /64 (spelt differently) share a limit; the next /64 has its own.
  { from: "127.0.0.1", forwardedFor: "2001:db8:aa:bb::1", expected: ALLOWED },
  { from: "127.0.0.1", forwardedFor: "2001:DB8:AA:BB:ffff:0:0:2", expected: ALLOWED },
  { from: "127.0.0.1", forwardedFor: "2001:db8:aa:bb:1::3", expected: LIMITED },
  { from: "127.0.0.1", forwardedFor: "2001:db8:aa:bc::1", expected: ALLOWED },
];

/**
 * Sends the scenario's registrations, in order, to the server at `baseUrl`. Gives one line per
 * request with the status it got, and the same lines with the status expected: equal lines pass,
 * and a failure shows which request got what.
 */
export async function runTrustedProxyScenario(baseUrl: string): Promise<{ got: string[]; expected: string[] }> {
  const got: string[] = [];
  const expected: string[] = [];
  for (const step of TRUSTED_PROXY_SCENARIO) {
    const { status } = await requestFrom(step.from, `${baseUrl}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": step.forwardedFor },
      body: "{}",
    });
    const sent = `from ${step.from}, X-Forwarded-For: ${step.forwardedFor}`;
    got.push(`${sent} → ${status}`);
    expected.push(`${sent} → ${step.expected}`);
  }
  return { got, expected };
}
