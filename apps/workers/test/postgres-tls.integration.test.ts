import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPrismaClient } from "@userstream/db";
import { createPool } from "@userstream/db/pool";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeServerAndOtherCertificates, type ServerAndOtherCertificates } from "./certificates";
import { onFreePort, startPostgres, type PrivatePostgres } from "@userstream/test-support";

const run = promisify(execFile);
const dbPackageDir = fileURLToPath(new URL("../../../packages/db", import.meta.url));
const SSL_OF_THIS_SESSION = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/** A PostgreSQL cluster of its own that takes TLS only, with a certificate signed by a CA made for this run. */
describe("PostgreSQL over TLS (sslmode in DATABASE_URL) with a private CA", () => {
  let certs: ServerAndOtherCertificates;
  let postgres: PrivatePostgres | undefined;
  let port: number;

  beforeAll(async () => {
    certs = await makeServerAndOtherCertificates("userstream-pg-tls-");
    postgres = await onFreePort(async (candidate) => {
      const started = await startPostgres(candidate, { tls: certs.server });
      port = candidate;
      return started;
    });
  });
  afterAll(async () => {
    await postgres?.remove();
    certs?.remove();
  });

  const url = (query: string, database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}?${query}`;

  async function query<Row>(connectionString: string, sql: string): Promise<Row[]> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Row[];
    } finally {
      await client.end();
    }
  }
  const sslOfSession = async (connectionString: string) =>
    (await query<{ ssl: boolean; version: string | null }>(connectionString, SSL_OF_THIS_SESSION))[0];

  it("connects the app's Prisma client with sslmode=verify-full and the CA in sslrootcert, encrypted", async () => {
    const prisma = createPrismaClient(url(`sslmode=verify-full&sslrootcert=${certs.server.caFile}`));
    try {
      const rows = await prisma.$queryRawUnsafe<{ ssl: boolean; version: string | null }[]>(SSL_OF_THIS_SESSION);
      expect(rows).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("connects a worker's pool with sslmode=verify-full and the CA, encrypted", async () => {
    const pool = createPool(url(`sslmode=verify-full&sslrootcert=${certs.server.caFile}`), { max: 1 });
    try {
      expect((await pool.query(SSL_OF_THIS_SESSION)).rows).toEqual([
        { ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) },
      ]);
    } finally {
      await pool.end();
    }
  });

  it("refuses a plain connection (no sslmode): the server takes TLS only, so every success here went over TLS", async () => {
    await expect(sslOfSession(url(""))).rejects.toThrow(/no encryption/);
  });

  it("refuses a server whose certificate was signed by another CA than sslrootcert", async () => {
    const untrusted = url(`sslmode=verify-full&sslrootcert=${certs.other.caFile}`);
    await expect(sslOfSession(untrusted)).rejects.toThrow(/certificate/i);

    const prisma = createPrismaClient(untrusted);
    try {
      await expect(prisma.$queryRawUnsafe(SSL_OF_THIS_SESSION)).rejects.toThrow(/certificate/i);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("creates and migrates a database over TLS with `db:migrate`, as a deployment does", async () => {
    const databaseUrl = url(`sslmode=verify-full&sslrootcert=${certs.server.caFile}`, "userstream");
    await run("pnpm", ["run", "db:migrate"], {
      cwd: dbPackageDir,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: 120_000,
    });
    const tables = await query<{ tablename: string }>(databaseUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((row) => row.tablename)).toEqual(expect.arrayContaining(["_prisma_migrations", "registrations", "users"]));
  });
});
