// Writes asyncapi.json and schemas/<type>.v<version>.json from the zod contracts
// (`pnpm --filter @userstream/contracts generate:schemas`); run it after changing a message.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generatedContractFiles } from "../src/generated-files";

const root = fileURLToPath(new URL("..", import.meta.url));
const files = generatedContractFiles();
// A schema whose message version is gone is removed with it.
await mkdir(path.join(root, "schemas"), { recursive: true });
for (const name of await readdir(path.join(root, "schemas"))) {
  if (!(`schemas/${name}` in files)) await rm(path.join(root, "schemas", name));
}
for (const [file, content] of Object.entries(files)) await writeFile(path.join(root, file), content);
console.log(`wrote ${Object.keys(files).join(", ")}`);
