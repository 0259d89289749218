import { describe, expect, it } from "vitest";
import { pgConfigFromUrl, quoteIdent, withDatabase } from "./pg-config";

describe("pgConfigFromUrl", () => {
  it("splits a URL into separate fields, decoding escapes", () => {
    expect(pgConfigFromUrl("postgresql://app:p%40ss%3Aword@db.internal:6543/user%20stream?schema=public")).toEqual({
      host: "db.internal",
      port: 6543,
      user: "app",
      password: "p@ss:word",
      database: "user stream",
    });
  });

  it("fills pg's defaults for what the URL leaves out", () => {
    expect(pgConfigFromUrl("postgres://127.0.0.1")).toEqual({
      host: "127.0.0.1",
      port: 5432,
      user: undefined,
      password: undefined,
      database: undefined,
    });
  });

  it("keeps the TLS settings of sslmode as pg reads them", () => {
    expect(pgConfigFromUrl("postgresql://app@db/x?sslmode=require").ssl).toEqual({});
    expect(pgConfigFromUrl("postgresql://app@db/x?sslmode=verify-full").ssl).toEqual({});
    expect(pgConfigFromUrl("postgresql://app@db/x?sslmode=no-verify").ssl).toEqual({ rejectUnauthorized: false });
    expect(pgConfigFromUrl("postgresql://app@db/x?sslmode=disable").ssl).toBe(false);
    expect(pgConfigFromUrl("postgresql://app@db/x")).not.toHaveProperty("ssl");
  });

  it("never returns a connectionString (it would override the shadow database name)", () => {
    expect(pgConfigFromUrl("postgresql://postgres@localhost/x")).not.toHaveProperty("connectionString");
  });

  it("rejects other URL schemes", () => {
    expect(() => pgConfigFromUrl("mysql://root@localhost/x")).toThrow(/postgresql/);
  });
});

describe("withDatabase", () => {
  it("replaces only the database, keeping credentials and parameters", () => {
    expect(withDatabase("postgresql://u:p@h:1/postgres?sslmode=disable", "t_1")).toBe("postgresql://u:p@h:1/t_1?sslmode=disable");
  });
});

describe("quoteIdent", () => {
  it("doubles embedded quotes", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});
