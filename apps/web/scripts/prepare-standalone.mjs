// After `next build`: `.next/standalone` holds the server and only the node_modules it needs, but
// not the browser assets. Copy them in, so the folder runs on its own (`node apps/web/server.js`),
// in the Docker image as under `npm start`.
import { cpSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
// next.config.ts's distDir (NEXT_DIST_DIR lets a test build elsewhere).
const distDir = process.env.NEXT_DIST_DIR || ".next";
const dist = `${web}${distDir}/`;
const target = `${dist}standalone/apps/web/`;
if (!existsSync(`${target}server.js`)) {
  console.error(`No ${target}server.js: is \`output: "standalone"\` set in next.config.ts?`);
  process.exit(1);
}
cpSync(`${dist}static`, `${target}${distDir}/static`, { recursive: true });
if (existsSync(`${web}public`)) cpSync(`${web}public`, `${target}public`, { recursive: true });
