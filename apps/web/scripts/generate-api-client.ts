// Writes packages/api-client/openapi.json and its TypeScript types from the REST API's procedures
// (`pnpm --filter @userstream/web generate:api-client`); run it after changing a REST procedure.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generatedApiClientFiles } from "~/server/api/api-client-files";

const clientDir = fileURLToPath(new URL("../../../packages/api-client/", import.meta.url));
const files = await generatedApiClientFiles();
for (const [file, content] of Object.entries(files)) await writeFile(path.join(clientDir, file), content);
console.log(
  `wrote ${Object.keys(files)
    .map((file) => `packages/api-client/${file}`)
    .join(", ")}`,
);
