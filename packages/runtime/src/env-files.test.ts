import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFileVariables } from "./env-files";

const dir = mkdtempSync(join(tmpdir(), "userstream-env-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readFileVariables", () => {
  it("reads NAME from NAME_FILE, dropping one trailing newline and keeping the rest", () => {
    const source = {
      SESSION_SECRET_FILE: secretFile("session", "s3cret value \n"),
      DATABASE_URL_FILE: secretFile("db", "postgresql://u:p@db/x\r\n"),
      OTHER_FILE: secretFile("other", "not asked for"),
    };
    expect(readFileVariables(source, ["SESSION_SECRET", "DATABASE_URL", "AMQP_URL"])).toEqual({
      SESSION_SECRET: "s3cret value ",
      DATABASE_URL: "postgresql://u:p@db/x",
    });
  });

  it("refuses NAME and NAME_FILE together", () => {
    const source = { SESSION_SECRET: "a", SESSION_SECRET_FILE: secretFile("both", "b") };
    expect(() => readFileVariables(source, ["SESSION_SECRET"])).toThrow(
      "SESSION_SECRET and SESSION_SECRET_FILE are both set: set only one",
    );
  });

  it("names the variable when its file cannot be read", () => {
    const missing = join(dir, "missing");
    expect(() => readFileVariables({ AMQP_URL_FILE: missing }, ["AMQP_URL"])).toThrow(
      `AMQP_URL_FILE: cannot read ${missing} (ENOENT)`,
    );
  });

  it("leaves NAME unset when its file is empty (/dev/null for a secret not used)", () => {
    expect(
      readFileVariables({ RESEND_API_KEY_FILE: secretFile("empty", "\n"), SMTP_URL_FILE: "/dev/null" }, [
        "RESEND_API_KEY",
        "SMTP_URL",
      ]),
    ).toEqual({});
  });

  it("ignores an empty NAME_FILE", () => {
    expect(readFileVariables({ AMQP_URL_FILE: "", AMQP_URL: "amqp://x" }, ["AMQP_URL"])).toEqual({});
  });
});
