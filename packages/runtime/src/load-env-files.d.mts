/** The exit status of a process that refuses its configuration (EX_CONFIG). */
export declare const EXIT_CONFIG: 78;
export declare const ENV_FILES_VARIABLE: "USERSTREAM_ENV_FILES";
export declare const ENV_DIR_VARIABLE: "USERSTREAM_ENV_DIR";
/**
 * Fills the environment from `.env`, then `.env.example` (process environment > `.env` >
 * `.env.example`; empty counts as unset). Returns the files read.
 */
export declare function loadEnvFiles(env?: Record<string, string | undefined>): string[];
/** The nearest folder at or above `from` holding `pnpm-workspace.yaml`; undefined outside a checkout. */
export declare function findRepoRoot(from: string): string | undefined;
