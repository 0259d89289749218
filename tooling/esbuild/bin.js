#!/usr/bin/env node
// `userstream-bundle [--conditions=a,b] [--external=x,y] name=entry ...`: see bundle.js.
import { bundle } from "./bundle.js";

const entries = {};
const options = {};
for (const arg of process.argv.slice(2)) {
  const [key, value = ""] = arg.split("=", 2);
  if (key === "--conditions" || key === "--external") options[key.slice(2)] = value.split(",").filter(Boolean);
  else if (key && value && !key.startsWith("-")) entries[key] = value;
  else {
    console.error(`userstream-bundle: cannot read "${arg}"; expected name=entry, --conditions=a,b or --external=x,y`);
    process.exit(2);
  }
}
if (Object.keys(entries).length === 0) {
  console.error("userstream-bundle: no entry given (name=path/to/entry.ts)");
  process.exit(2);
}
await bundle(entries, options);
