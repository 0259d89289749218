import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./start-support";

/**
 * The text of one stage of a Dockerfile (from after `FROM` to the next one, continuation lines
 * joined): the stage named `stage`, or the last (what a build without a target produces).
 */
export function dockerStage(dockerfile: string, stage?: string): string {
  const text = readFileSync(join(root, dockerfile), "utf8").replaceAll("\\\n", " ");
  const stages = text.split(/^FROM /m).slice(1);
  const body = stage ? stages.find((part) => new RegExp(`^\\S+ AS ${stage}\\s*\\n`).test(part)) : stages.at(-1);
  if (!body) throw new Error(`no stage ${stage ?? "(last)"} in ${dockerfile}`);
  return body;
}

/** The lines of a stage that start with `instruction` (COPY, RUN, …), without it. */
export function stageInstructions(dockerfile: string, stage: string, instruction: string): string[] {
  return dockerStage(dockerfile, stage)
    .split("\n")
    .filter((line) => line.startsWith(`${instruction} `))
    .map((line) => line.slice(instruction.length + 1).trim());
}

/** The JSON-array command of a Dockerfile instruction (CMD, ENTRYPOINT, HEALTHCHECK … CMD) in a stage. */
export function dockerCommand(dockerfile: string, stage: string, instruction: "CMD" | "ENTRYPOINT" | "HEALTHCHECK"): string[] {
  const line = stageInstructions(dockerfile, stage, instruction)[0];
  const json = line?.slice(line.indexOf("["));
  if (!json) throw new Error(`no ${instruction} in stage ${stage} of ${dockerfile}`);
  return JSON.parse(json) as string[];
}

/**
 * Does a stage's COPY instructions outside Docker, into `folder` (the stage's /app): each source
 * from the build context (the repository) or, with `--from=<stage>`, from that stage's /app, which
 * is the repository once it is built here. Returns what was copied, `[source, destination]`.
 */
export function copyStage(dockerfile: string, stage: string, folder: string): [string, string][] {
  if (stageInstructions(dockerfile, stage, "WORKDIR")[0] !== "/app")
    throw new Error(`stage ${stage} of ${dockerfile} does not work in /app`);
  const copied: [string, string][] = [];
  for (const line of stageInstructions(dockerfile, stage, "COPY")) {
    const words = line.split(/\s+/);
    const from = words.find((word) => word.startsWith("--from="));
    const [source, destination] = words.filter((word) => !word.startsWith("--"));
    if (!source || !destination) throw new Error(`cannot read COPY ${line} in ${dockerfile}`);
    const inRepository = from ? source.replace(/^\/app\//, "") : source;
    if (from && inRepository === source)
      throw new Error(`COPY ${line}: only files under the build stage's /app can be copied here`);
    const target = join(folder, destination.replace(/^\/app\/?/, ""));
    mkdirSync(join(target, ".."), { recursive: true });
    cpSync(join(root, inRepository), target, { recursive: true, verbatimSymlinks: true });
    copied.push([inRepository, destination]);
  }
  return copied;
}
