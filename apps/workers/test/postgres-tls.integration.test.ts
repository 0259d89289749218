import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient } from "@userstream/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type ChaosPostgres } from "../chaos/cluster";
import { makeCertificates, type TestCertificates } from "./certificates";
import { freePort } from "./support";

const SSL_OF_THIS_SESSION = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/** A PostgreSQL cluster of its own with `ssl = on` and a certificate signed by a CA made for this run. */
describe("PostgreSQL over TLS (sslmode in DATABASE_URL) with a private CA", () => {
  let dir: string;
  let certificates: TestCertificates;
  let otherCa: TestCertificates;
  let postgres: ChaosPostgres | undefined;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "userstream-pg-tls-"));
    for (const sub of ["server", "other"]) mkdirSync(join(dir, sub));
    [certificates, otherCa] = await Promise.all([makeCertificates(join(dir, "server")), makeCertificates(join(dir, "other"))]);
    port = await freePort();
    postgres = await startPostgres(port, { tls: certificates });
  });
  afterAll(async () => {
    await postgres?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = (query: string) => `postgresql://postgres@127.0.0.1:${port}/postgres?${query}`;

  async function sslOfSession(connectionString: string) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<{ ssl: boolean; version: string | null }>(SSL_OF_THIS_SESSION)).rows[0];
    } finally {
      await client.end();
    }
  }

  it("connects the app's Prisma client with sslmode=verify-full and the CA in sslrootcert, encrypted", async () => {
    const prisma = createPrismaClient(url(`sslmode=verify-full&sslrootcert=${certificates.caFile}`));
    try {
      const rows = await prisma.$queryRawUnsafe<{ ssl: boolean; version: string | null }[]>(SSL_OF_THIS_SESSION);
      expect(rows).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("connects a pg client (as the reporter's COPY connection does) with sslmode=require and the CA, encrypted", async () => {
    expect(await sslOfSession(url(`sslmode=require&sslrootcert=${certificates.caFile}`))).toEqual({ ssl: true, version: expect.stringMatching(/^TLSv1/) });
  });

  it("is plain without sslmode, so the encrypted sessions above are TLS's doing", async () => {
    expect(await sslOfSession(url(""))).toEqual({ ssl: false, version: null });
  });

  it("refuses a server whose certificate was signed by another CA than sslrootcert", async () => {
    const untrusted = url(`sslmode=verify-full&sslrootcert=${otherCa.caFile}`);
    await expect(sslOfSession(untrusted)).rejects.toThrow(/certificate/i);

    const prisma = createPrismaClient(untrusted);
    try {
      await expect(prisma.$queryRawUnsafe(SSL_OF_THIS_SESSION)).rejects.toThrow(/certificate/i);
    } finally {
      await prisma.$disconnect();
    }
  });
});
