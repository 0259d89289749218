import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const openssl = (args: string[]) => run("openssl", args);

/** PEM files (and the server's key and certificate as text) of a throw-away CA and a server certificate it signed. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  key: string;
  cert: string;
}

/** A private CA and a certificate it signed for 127.0.0.1, localhost and `ips`, made with openssl in `dir` for this run. */
export async function makeCertificates(dir: string, ips: string[] = []): Promise<TestCertificates> {
  const file = (name: string) => join(dir, name);
  await openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=UserStream test CA",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
  ]);
  await openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    file("server.key"),
    "-out",
    file("server.csr"),
  ]);
  writeFileSync(
    file("san.ext"),
    `subjectAltName=${["IP:127.0.0.1", "DNS:localhost", ...ips.map((ip) => `IP:${ip}`)].join(",")}\n`,
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    file("san.ext"),
    "-out",
    file("server.pem"),
  ]);
  return {
    caFile: file("ca.pem"),
    certFile: file("server.pem"),
    keyFile: file("server.key"),
    key: readFileSync(file("server.key"), "utf8"),
    cert: readFileSync(file("server.pem"), "utf8"),
  };
}

/** A server's certificates and another CA's (see `makeServerAndOtherCertificates`). */
export interface ServerAndOtherCertificates {
  server: TestCertificates;
  /** Another CA, which did not sign the server's certificate, and a certificate of its own. */
  other: TestCertificates;
  /** Deletes their folder. */
  remove(): void;
}

/**
 * In a temporary folder named after `prefix`: a server certificate with its CA (`server`), and
 * another CA with its own (`other`), which did not sign the server's.
 */
export async function makeServerAndOtherCertificates(prefix: string): Promise<ServerAndOtherCertificates> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const sub of ["server", "other"]) mkdirSync(join(dir, sub));
  const [server, other] = await Promise.all([makeCertificates(join(dir, "server")), makeCertificates(join(dir, "other"))]);
  return { server, other, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
