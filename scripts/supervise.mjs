// Runs every process of UserStream under one supervisor (scripts/supervisor.mjs) and prints where
// to go once each answers its health URL. `npm start` runs the production build; `--dev` (`pnpm
// dev`) runs `next dev` and the others from source, restarted when their files change. `--only
// <name,...>` runs a subset (the workers' own `dev` and `start`). Each process can also be started
// alone: see docs/operations.md. Every port is a variable (.env.example).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnvFiles } from "../packages/runtime/src/load-env-files.mjs";
import { supervise } from "./supervisor.mjs";

loadEnvFiles();
const env = process.env;
const root = fileURLToPath(new URL("..", import.meta.url));
const dev = process.argv.includes("--dev");
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1]?.split(",") : undefined;
const mailCatcher = (env.MAIL_CATCHER || "on") !== "off";
// The reporter writes and the web serves the same folder: resolve it once, from the repository root.
env.REPORTS_DIR = path.resolve(root, env.REPORTS_DIR || "reports");
// The local trial: the production build with the published development secrets of .env.example,
// which production refuses elsewhere. Safe only because the web and the API listen on loopback
// alone (below); docs/operations.md.
env.USERSTREAM_LOCAL_TRIAL = "1";
// The processes write into pipes (their lines get a prefix here), so they cannot see the terminal
// themselves: in development on a terminal, ask for readable lines instead of JSON.
if (dev && process.stdout.isTTY && (env.LOG_FORMAT || "auto") === "auto") env.LOG_FORMAT = "pretty";

const port = {
  web: env.PORT || "3000",
  api: env.API_PORT || "8083",
  receiver: env.RECEIVER_PORT || "8081",
  sender: env.SENDER_PORT || "8082",
  reporter: env.REPORTER_PORT || "8084",
  smtp: env.MAIL_CATCHER_SMTP_PORT || "1025",
  mail: env.MAIL_CATCHER_WEB_PORT || "1080",
};
const local = (name, pathname = "/") => `http://localhost:${port[name]}${pathname}`;
const health = (name, pathname) => `http://127.0.0.1:${port[name]}${pathname}`;
// Development restarts a process when the sources it runs change (Next.js reloads on its own).
const sources = (...dirs) =>
  dev
    ? [...dirs, "packages/contracts/src", "packages/messaging/src", "packages/runtime/src", "packages/db/src"].map(
        (dir) => root + dir,
      )
    : undefined;

// The reporter streams a lot of short-lived buffers: a small young generation keeps its peak
// memory flat however large the report (docs/benchmarks.md).
const nodeFlags = { reporter: ["--max-semi-space-size=2"] };
// Production runs the bundles of `pnpm build` with plain node; development the sources through tsx.
const worker = (role) => ({
  name: role,
  cwd: `${root}apps/workers`,
  args: [...(nodeFlags[role] ?? []), ...(dev ? ["--import", "tsx", `src/${role}/main.ts`] : [`dist/${role}.mjs`])],
  health: health(role, "/healthz"),
  watch: sources("apps/workers/src"),
});
// `npm start` runs the web's standalone build (`output: "standalone"`), the server the image runs.
const web = {
  name: "web",
  cwd: `${root}apps/web`,
  args: dev
    ? ["node_modules/next/dist/bin/next", "dev", "--hostname", "127.0.0.1", "--port", port.web]
    : [".next/standalone/apps/web/server.js"],
  // NEXT_MANUAL_SIG_HANDLE: the web's own shutdown handles SIGTERM and exits 0 once its publisher
  // and pool are closed; Next's would exit 143 before they are (apps/web/src/server/shutdown.ts).
  env: { PORT: port.web, HOSTNAME: "127.0.0.1", ...(dev ? {} : { NEXT_MANUAL_SIG_HANDLE: "1" }) },
  health: health("web", "/api/health"),
};
// The REST API on its own (API_PORT): the web's route handlers without Next.js, bundled by
// `pnpm build` (with the react-server condition built in); from source through tsx in development.
const api = {
  name: "api",
  cwd: `${root}apps/web`,
  args: dev ? ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"] : ["dist/api.mjs"],
  env: { API_HOST: "127.0.0.1" },
  health: health("api", "/api/health"),
  watch: sources("apps/web/src"),
};
// A local mail catcher, so the welcome emails can be read with no account anywhere. Off
// (MAIL_CATCHER=off) when SMTP_URL points at a real server.
const catcher = {
  name: "mail-catcher",
  cwd: root,
  args: [
    "node_modules/maildev/bin/maildev",
    "--smtp",
    port.smtp,
    "--web",
    port.mail,
    "--ip",
    "127.0.0.1",
    "--web-ip",
    "127.0.0.1",
  ],
  health: health("mail", "/healthz"),
};
// Started in this order and stopped in the reverse: the entry points first, the mail catcher last.
const processes = [...(mailCatcher ? [catcher] : []), worker("reporter"), worker("sender"), worker("receiver"), api, web].filter(
  (spec) => !only || only.includes(spec.name),
);

function banner() {
  const names = new Set(processes.map((spec) => spec.name));
  const lines = [
    ["web", "register", local("web")],
    ["web", "users", local("web", "/users")],
    ["web", "admin", local("web", "/admin/login")],
    ["mail-catcher", "mail catcher", local("mail")],
    ["api", "REST API", `${local("api", "/api/v1")} (${local("api", "/api/openapi.json")})`],
    ["receiver", "receiver health", local("receiver", "/healthz")],
    ["sender", "sender health", local("sender", "/healthz")],
    ["reporter", "reporter health", local("reporter", "/healthz")],
  ].filter(([name]) => names.has(name));
  const rows = lines.map(([, label, url]) => `  ${label.padEnd(16)} ${url}`);
  console.log(`\nUserStream is ready${dev ? " (development)" : ""}:\n${rows.join("\n")}\nStop with Ctrl-C.\n`);
}

supervise(processes, { onReady: banner });
