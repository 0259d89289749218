import { build } from "esbuild";

/**
 * What production runs instead of TypeScript through tsx: each entry bundled with everything it
 * imports (workspace packages and dependencies alike) into one ES module, `<outdir>/<name>.mjs`,
 * for Node 20, with a source map. A bundle needs no node_modules beside it unless `external`
 * names something that cannot be bundled.
 *
 * @param {Record<string, string>} entries the bundle's name (`receiver`) to its entry file (`src/receiver/main.ts`)
 * @param {{ outdir?: string, conditions?: string[], external?: string[] }} [options]
 *   `conditions`: package export conditions to resolve with (the API server's `react-server`,
 *   which Node would otherwise be told with `--conditions`).
 */
export async function bundle(entries, { outdir = "dist", conditions = [], external = [] } = {}) {
  return build({
    entryPoints: entries,
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    conditions,
    // CommonJS dependencies call require() for Node's modules, which an ES module lacks.
    banner: {
      js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);',
    },
    // Beside each bundle, for NODE_OPTIONS=--enable-source-maps when a stack trace should name the
    // TypeScript sources. Not on by default: loading the map cost the API server ~45 MB of memory
    // (docs/benchmarks.md, "startup").
    sourcemap: true,
    sourcesContent: false,
    // Optional drivers the dependencies look for and do without (pg-native for pg).
    external: ["pg-native", ...external],
    logLevel: "warning",
    legalComments: "none",
  });
}
