import { createAsyncApiDocument } from "./asyncapi";
import { MESSAGE_CONTRACTS, messageJsonSchema, messageSchemaFile } from "./message-catalog";

const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The files generated from the contracts, by path inside `packages/contracts`: `asyncapi.json` and
 * one JSON Schema per message version in `schemas/`. `generate:schemas` writes them; a test fails
 * when the committed ones differ.
 */
export function generatedContractFiles(): Record<string, string> {
  return {
    "asyncapi.json": asJson(createAsyncApiDocument()),
    ...Object.fromEntries(
      MESSAGE_CONTRACTS.map((contract) => [`schemas/${messageSchemaFile(contract)}`, asJson(messageJsonSchema(contract))]),
    ),
  };
}
