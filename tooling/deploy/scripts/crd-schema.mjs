// Writes the JSON Schema of a custom resource from its operator's CustomResourceDefinition, for the
// manifests' offline validation (tooling/deploy/test/kubernetes-schemas.test.ts):
//   node tooling/deploy/scripts/crd-schema.mjs <crd.yaml> <version> <out.json>
// The CRD's openAPIV3Schema of that version, with two changes: descriptions are dropped (size), and
// every object that lists its properties refuses others, as the API server's strict field
// validation does (`kubectl apply --validate=strict`), so a misspelt field fails offline too.
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [crdPath, version, outPath] = process.argv.slice(2);
if (!crdPath || !version || !outPath) throw new Error("usage: crd-schema.mjs <crd.yaml> <version> <out.json>");
const crd = parseAllDocuments(readFileSync(crdPath, "utf8"))
  .map((document) => document.toJSON())
  .find((document) => document?.kind === "CustomResourceDefinition");
const served = crd?.spec?.versions?.find((candidate) => candidate.name === version);
if (!served) throw new Error(`${crdPath} has no version ${version}`);

function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "description") continue;
    // Property names (`properties`) are data, not keywords: map each value only.
    copy[key] =
      key === "properties" ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strict(sub)])) : strict(value);
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"])
    copy.additionalProperties = false;
  return copy;
}

const schema = strict(served.schema.openAPIV3Schema);
// What a manifest holds; the operator writes the status.
delete schema.properties.status;
const { group, names } = crd.spec;
schema.properties.apiVersion = { const: `${group}/${version}` };
schema.properties.kind = { const: names.kind };
schema.required = [...new Set([...(schema.required ?? []), "apiVersion", "kind", "metadata", "spec"])];
writeFileSync(outPath, `${JSON.stringify(schema, null, 1)}\n`);
