/**
 * What the image checks share. They run the Docker images' steps outside Docker (there is no
 * engine here): a stage's files copied as its COPY instructions say, or the sources installed as
 * its RUN says, then its command, against the real PostgreSQL and RabbitMQ, connected as the
 * row-only app role of packages/db/sql/roles.sql as the compose files connect them, with the
 * secrets given as files (`NAME_FILE`, Docker secrets).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabaseWithRoles, type TestDatabaseWithRoles } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { onFreePort } from "@userstream/test-support";
import { afterAll, beforeAll, expect } from "vitest";
import { copyStage, dockerStage } from "./dockerfiles";
import { root } from "./start-support";

export const run = promisify(execFile);

const children: ChildProcess[] = [];
const folders: string[] = [];

/**
 * A database with the two roles and a virtual host of this test file's own, made before its tests
 * and dropped after them, with every process and folder the file started or made.
 */
export function useImageServices(name: string) {
  const services = {} as { database: TestDatabaseWithRoles; vhost: Awaited<ReturnType<typeof createTestVhost>> };
  beforeAll(async () => {
    [services.database, services.vhost] = await Promise.all([
      createTestDatabaseWithRoles(`userstream_${name}_test`),
      createTestVhost(`userstream-${name}-test`),
    ]);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    await services.vhost?.drop();
    await services.database?.drop();
  });
  return services;
}

/** A temporary folder, removed after the file's tests. */
export function tempFolder(prefix: string) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Each value written to a file of its own, as Docker secrets are: `{ NAME_FILE: path }`. */
export function secretFiles(values: Record<string, string>): Record<string, string> {
  const folder = tempFolder("userstream-image-secrets-");
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const path = join(folder, name.toLowerCase());
      writeFileSync(path, `${value}\n`, { mode: 0o400 });
      return [`${name}_FILE`, path];
    }),
  );
}

/** The variables every image process gets from its base image: a PATH and a HOME, nothing of this run's. */
export const baseEnv = () => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });

/** Starts a process as the image would; its output is kept for the failure message. */
export function start(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(command, args, { cwd, env: { ...baseEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs `check` until it passes; fails with the process output if the process exits first. */
export async function until(started: ReturnType<typeof start>, check: () => Promise<boolean>) {
  for (let i = 0; i < 240; i++) {
    if (started.child.exitCode !== null) throw new Error(`exited ${started.child.exitCode}:\n${started.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready:\n${started.output()}`);
}

/**
 * Starts a process that is told its port up front, as an image is (PORT, API_PORT, …), and waits
 * until `ready`; on another port when the one picked was taken meanwhile.
 */
export function startOnFreePort(launch: (port: string) => ReturnType<typeof start>, ready: (port: string) => Promise<boolean>) {
  return onFreePort(async (number) => {
    const port = String(number);
    const started = launch(port);
    await until(started, () => ready(port));
    return { ...started, port };
  });
}

/** Sends SIGTERM and resolves with the exit code once the process has ended. */
export async function stopped(started: ReturnType<typeof start>): Promise<number | null> {
  started.child.kill("SIGTERM");
  if (started.child.exitCode === null) await new Promise((resolve) => started.child.once("exit", resolve));
  return started.child.exitCode;
}

/** `COPY . .` (the tracked sources, what .dockerignore lets through) and a `pnpm install` into a clean folder. */
export async function sourcesInstalled(prefix: string, installArgs: string[]): Promise<string> {
  const app = tempFolder(prefix);
  const { stdout } = await run("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(app, file), { recursive: true });
  }
  await run("pnpm", ["install", "--frozen-lockfile", "--offline", ...installArgs], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
  return app;
}

/** The rows of one statement, on a connection of its own. */
export async function sql(url: string, statement: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The secrets the web's env.ts requires in production, for both of its images. */
export const WEB_SECRETS = {
  CONFIRMATION_TOKEN_SECRET: "c".repeat(40),
  ADMIN_EMAIL: "admin@userstream.test",
  // Not the development admin of .env.example: production refuses the published secrets.
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:gLj0Xb7ZQfh6NtbSUYH1cg:4Pg70s5rN-mSwCL2IOdAklD7bIj8aSc6QMUoV_B7VBg",
  SESSION_SECRET: "s".repeat(40),
};

/**
 * A runtime stage that runs a bundle, made outside Docker: its COPY instructions done into a folder
 * of its own (outside the repository, so nothing can resolve from the workspace's node_modules),
 * after checking that the stage installs nothing and names no tsx, and that what it copied holds
 * no node_modules and no TypeScript. Returns the folder (the image's /app).
 */
export function bundleStage(dockerfile: string, stage: string): string {
  const instructions = dockerStage(dockerfile, stage)
    .split("\n")
    .filter((line) => !line.startsWith("#"));
  expect(instructions.join("\n")).not.toMatch(/tsx|pnpm|node_modules|\.ts\b/);
  const app = tempFolder(`userstream-${stage}-stage-`);
  copyStage(dockerfile, stage, app);
  const files = readdirSync(app, { recursive: true, encoding: "utf8" });
  expect(files.filter((file) => /(^|\/)node_modules(\/|$)|\.ts$/.test(file))).toEqual([]);
  return app;
}
