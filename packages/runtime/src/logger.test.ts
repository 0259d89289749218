import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const loggingModule = fileURLToPath(new URL("./logger.ts", import.meta.url));
const LOG_ONE_LINE = [
  `const { createLogger } = await import(${JSON.stringify(loggingModule)});`,
  `const logger = createLogger("svc", { LOG_LEVEL: "info", LOG_FORMAT: process.env.LOG_FORMAT, NODE_ENV: process.env.NODE_ENV });`,
  `logger.info({ registrationId: "r-1" }, "hello");`,
].join(" ");

/**
 * What a real process writes for one line, its stdout a pipe or a terminal (the pseudo-terminal
 * of script(1), as a person's shell would give it).
 */
async function logOneLine(stdout: "pipe" | "terminal", LOG_FORMAT: string, NODE_ENV: string): Promise<string> {
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", LOG_ONE_LINE];
  const command = stdout === "terminal" ? ["script", "-qec", node.map((arg) => `'${arg}'`).join(" "), "/dev/null"] : node;
  const result = await run(command[0]!, command.slice(1), { cwd: packageDir, env: { ...process.env, LOG_FORMAT, NODE_ENV } });
  // The terminal ends lines with \r\n and colours the text.
  return result.stdout
    .replace(/\r/g, "")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .trim();
}

function expectJsonLine(output: string) {
  const line = JSON.parse(output) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 30, service: "svc", registrationId: "r-1", msg: "hello" });
  expect(new Date(String(line.time)).toISOString()).toBe(line.time);
}

function expectPrettyLine(output: string) {
  expect(output).not.toMatch(/^\{/);
  expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: svc: hello\n\s+registrationId: "r-1"$/);
}

describe("createLogger's output: readable on a terminal outside production, JSON otherwise", () => {
  it("writes text for a person on a terminal in development (LOG_FORMAT=auto)", async () => {
    expectPrettyLine(await logOneLine("terminal", "auto", "development"));
  });

  it("writes JSON with time and service on a terminal in production, and to a pipe", async () => {
    expectJsonLine(await logOneLine("terminal", "auto", "production"));
    expectJsonLine(await logOneLine("pipe", "auto", "development"));
  });

  it("follows LOG_FORMAT when it is set: pretty into a pipe, JSON on a terminal", async () => {
    expectPrettyLine(await logOneLine("pipe", "pretty", "production"));
    expectJsonLine(await logOneLine("terminal", "json", "development"));
  });
});
