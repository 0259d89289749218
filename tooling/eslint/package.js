import base, { NO_APPS, restrictImports } from "./base.js";

/** The shared rules for a package under packages/: besides them, no import of an app. */
export default [...base, { rules: { "@typescript-eslint/no-restricted-imports": restrictImports(NO_APPS) } }];
