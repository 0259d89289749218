import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownedPrefix } from "./owner";

/**
 * PostgreSQL and RabbitMQ refuse to run as root; under root (as in CI) their commands
 * run as their own system users, which own the data folders.
 */
export function asUser(user: string, command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", user, "--", command, ...args]] : [command, args];
}

/** A temporary folder whose name says which process owns it, so a sweep can tell a killed run's from a live one's. */
export function ownedTempDir(prefix: string, user: string): string {
  const dir = mkdtempSync(join(tmpdir(), ownedPrefix(prefix, "-")));
  chownToUser(dir, user);
  return dir;
}

/** Gives `path` to `user` when running as root (else it is the caller's, which is that user). */
export function chownToUser(path: string, user: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = userIds(user);
  chownSync(path, uid, gid);
}

export function userIds(user: string): { uid: number; gid: number } {
  const fields = execFileSync("getent", ["passwd", user], { encoding: "utf8" }).split(":");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
