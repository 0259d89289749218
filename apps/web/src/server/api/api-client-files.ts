import openapiTS, { astToString } from "openapi-typescript";
import { createOpenApiDocument } from "./openapi";

/** The address the committed document names: the local web (each deployment serves its own at /api/openapi.json). */
const DOCUMENT_APP_URL = "http://localhost:3000";

const HEADER = "// Generated from openapi.json by `pnpm --filter @userstream/web generate:api-client`: do not edit.\n\n";

/**
 * The files of `packages/api-client` generated from the REST API's OpenAPI document, by path
 * inside that package: the document itself and its TypeScript types (openapi-typescript).
 * `generate:api-client` writes them; a test fails when the committed ones differ.
 */
export async function generatedApiClientFiles(): Promise<Record<string, string>> {
  const document = createOpenApiDocument(DOCUMENT_APP_URL);
  const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  return { "openapi.json": `${JSON.stringify(document, null, 2)}\n`, "src/openapi-types.ts": `${HEADER}${types}` };
}
