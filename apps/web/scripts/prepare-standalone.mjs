// After `next build`: `.next/standalone` holds the server and only the node_modules it needs, but
// not the browser assets. Copy them in, so the folder runs on its own (`node apps/web/server.js`),
// in the Docker image as under `npm start`.
import { cpSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
const target = `${web}.next/standalone/apps/web/`;
if (!existsSync(`${target}server.js`)) {
  console.error("No .next/standalone/apps/web/server.js: is `output: \"standalone\"` set in next.config.ts?");
  process.exit(1);
}
cpSync(`${web}.next/static`, `${target}.next/static`, { recursive: true });
if (existsSync(`${web}public`)) cpSync(`${web}public`, `${target}public`, { recursive: true });
