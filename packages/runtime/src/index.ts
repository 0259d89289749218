export * from "./env";
export * from "./logger";
export * from "./health-server";
export * from "./shutdown";
export * from "./run-main";
export * from "./with-timeout";
export * from "./backoff";
export { EXIT_CONFIG, loadEnvFiles } from "./load-env-files.mjs";
export * from "./service";
