import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { ownerPidOverride } from "./env";

/**
 * Test resources (databases, roles, vhosts, the chaos suite's folders and processes) carry their
 * owner in their name: the pid of the process that made them, its start time and a tag of where
 * it runs. A leftover of a killed run can then be told from another run's live resource, on a
 * machine where several runs go on at once: it is swept only when its owner is provably gone.
 */
export interface Owner {
  pid: number;
  /** The process's start time, clock ticks after boot, in base 36: a reused pid starts later. */
  started: string;
  /** This boot of this kernel and this pid namespace: a pid means something only there. */
  host: string;
}

/** The variable that marks a process started for a test run with its owner (see `ownerEnv`). */
export const OWNER_VARIABLE = "USERSTREAM_TEST_OWNER";

let hostTag: string | undefined;
function currentHost(): string {
  hostTag ??= createHash("sha256")
    .update(readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim())
    .update(readlinkSync("/proc/self/ns/pid"))
    .digest("hex")
    .slice(0, 6);
  return hostTag;
}

/** The start time of process `pid` (base 36), or undefined when no such process runs. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[19]).toString(36);
  } catch {
    return undefined;
  }
}

/** The owner of what this process creates: itself, or the process USERSTREAM_TEST_OWNER_PID names. */
export function currentOwner(): Owner {
  const pid = ownerPidOverride() ?? process.pid;
  const started = startTimeOf(pid);
  if (!started) throw new Error(`USERSTREAM_TEST_OWNER_PID names no running process: ${pid}`);
  return { pid, started, host: currentHost() };
}

function ownerTag(owner: Owner): string {
  return `p${owner.pid}t${owner.started}h${owner.host}`;
}

/** `<prefix><separator><owner><separator>`: the start of a name that says who owns it (e.g. for mkdtemp). */
export function ownedPrefix(prefix: string, separator: "_" | "-" = "_"): string {
  return `${prefix}${separator}${ownerTag(currentOwner())}${separator}`;
}

/** `<prefix><separator><owner><separator><random hex>`: a unique name that says who owns it. */
export function ownedName(prefix: string, separator: "_" | "-" = "_", randomBytesCount = 3): string {
  return `${ownedPrefix(prefix, separator)}${randomBytes(randomBytesCount).toString("hex")}`;
}

/** Marks a child process with its owner, so a sweep can end it once the owner is gone. */
export function ownerEnv(): Record<string, string> {
  return { [OWNER_VARIABLE]: ownerTag(currentOwner()) };
}

const OWNED_NAME = /^userstream[a-z0-9_-]*?[_-]p(\d+)t([0-9a-z]+)h([0-9a-f]{6})[_-][0-9A-Za-z]+$/;
const OWNER_TAG = /^p(\d+)t([0-9a-z]+)h([0-9a-f]{6})$/;

function parsed(match: RegExpMatchArray | null): Owner | undefined {
  return match ? { pid: Number(match[1]), started: match[2] as string, host: match[3] as string } : undefined;
}

/** The owner written in a test resource's name (see `ownedName`), or undefined for any other name. */
export function ownerOfName(name: string): Owner | undefined {
  return parsed(name.match(OWNED_NAME));
}

/** The owner in a USERSTREAM_TEST_OWNER value (see `ownerEnv`). */
export function ownerOfTag(tag: string): Owner | undefined {
  return parsed(tag.match(OWNER_TAG));
}

/**
 * "gone" only when provable: same boot and pid namespace as this process, and no process with
 * that pid and start time. Another boot or namespace (a container, another machine sharing the
 * server) is "unknown": not ours to judge.
 */
export function ownerState(owner: Owner): "alive" | "gone" | "unknown" {
  if (owner.host !== currentHost()) return "unknown";
  return startTimeOf(owner.pid) === owner.started ? "alive" : "gone";
}
