import { BlockList, isIPv4, isIPv6 } from "node:net";

/**
 * How the sender secures its SMTP connection:
 * - `tls`: `smtps://`, TLS from the first byte;
 * - `starttls-required`: `smtp://` to another machine: the session must be upgraded with STARTTLS
 *   (nodemailer's `requireTLS`), so a relay, or someone in between, that does not offer it gets no
 *   credentials and no email in clear;
 * - `starttls-if-offered`: `smtp://` to this machine (the local mail catcher), or to a relay trusted
 *   with plain text by `SMTP_ALLOW_PLAINTEXT=true`.
 */
export type SmtpSecurity = "tls" | "starttls-required" | "starttls-if-offered";

/** URL parameters nodemailer would read as TLS options, overriding ours: TLS is set by the scheme and SMTP_* variables. */
const TLS_PARAMETERS = /^(secure|ignoreTLS|requireTLS|opportunisticTLS|tls\..*)$/i;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** 127.0.0.0/8, ::1 (also ::ffff:127.x.x.x) and localhost: traffic that never leaves the machine. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIPv4(host)) return LOOPBACK.check(host, "ipv4");
  if (isIPv6(host)) return LOOPBACK.check(host, "ipv6");
  return host === "localhost";
}

/** What is wrong with an SMTP_URL, or undefined when the sender can use it. */
export function smtpUrlProblem(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") return "must be smtp:// or smtps://";
  const parameter = [...parsed.searchParams.keys()].find((key) => TLS_PARAMETERS.test(key));
  if (parameter) return `must not set "${parameter}": TLS is chosen by the scheme (smtps://) and the SMTP_* variables`;
  return undefined;
}

export function smtpSecurity(url: string, allowPlaintext: boolean): SmtpSecurity {
  const parsed = new URL(url);
  if (parsed.protocol === "smtps:") return "tls";
  return allowPlaintext || isLoopbackHost(parsed.hostname) ? "starttls-if-offered" : "starttls-required";
}
