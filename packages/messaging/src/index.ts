export * from "./errors";
export * from "./topology";
export * from "./confirm";
export * from "./broker-urls";
export * from "./connection";
export * from "./publisher";
export * from "./consumer";
export * from "./batch-consumer";
