// Runs every process of UserStream under one supervisor (scripts/supervisor.mjs): a process that
// crashes is restarted with backoff, SIGTERM/SIGINT stop them all. `npm start` runs the production
// build; `--dev` runs the hot-reload commands. `--only <name,...>` runs a subset (the workers'
// `pnpm dev` uses it). Each process can also be started alone: see docs/operations.md.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { supervise } from "./supervisor.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dev = process.argv.includes("--dev");
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1]?.split(",") : undefined;
const mailCatcher = (process.env.MAIL_CATCHER ?? "on") !== "off";
// The reporter writes and the web serves the same folder: resolve it once, from the repository root.
process.env.REPORTS_DIR = path.resolve(root, process.env.REPORTS_DIR ?? "reports");

// The reporter streams a lot of short-lived buffers: a small young generation keeps its peak
// memory flat however large the report (docs/benchmarks.md).
const nodeFlags = { reporter: ["--max-semi-space-size=2"] };
const worker = (role) => ({
  name: role,
  cwd: `${root}apps/workers`,
  args: dev
    ? ["node_modules/tsx/dist/cli.mjs", "watch", `src/${role}/main.ts`]
    : [...(nodeFlags[role] ?? []), "--import", "tsx", `src/${role}/main.ts`],
});
// The web runs its standalone build (`output: "standalone"`), the same server the Docker image runs.
const web = {
  name: "web",
  cwd: `${root}apps/web`,
  args: [".next/standalone/apps/web/server.js"],
  env: { PORT: "3000", HOSTNAME: "0.0.0.0" },
};
// The REST API on its own (API_PORT, 8083): the web's route handlers without Next.js, run from
// source through tsx as the workers are.
const api = {
  name: "api",
  cwd: `${root}apps/web`,
  args: dev
    ? ["node_modules/tsx/dist/cli.mjs", "watch", "--conditions=react-server", "src/api-main.ts"]
    : ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"],
};
const processes = [
  web,
  api,
  worker("receiver"),
  worker("sender"),
  worker("reporter"),
  // A local mail catcher, so the welcome emails can be read at http://localhost:1080 with no
  // account anywhere. Off (MAIL_CATCHER=off) when SMTP_URL points at a real server.
  ...(mailCatcher
    ? [{ name: "mail-catcher", cwd: root, args: ["node_modules/maildev/bin/maildev", "--smtp", "1025", "--web", "1080", "--ip", "127.0.0.1", "--web-ip", "127.0.0.1"] }]
    : []),
].filter((spec) => !only || only.includes(spec.name));

supervise(processes);
