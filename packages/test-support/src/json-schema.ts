import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";

/**
 * ajv, a JSON Schema validator that is not zod, with the formats the contracts' schemas name
 * (`uuid`, `date-time`, `date`): it reads the committed schemas as a service in another language
 * would, so a test through it proves the schemas, not the zod they came from.
 */
export function jsonSchemaValidator(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, ...options });
  addFormats.default(ajv);
  return ajv;
}
