export * from "./registration";
export * from "./envelope";
export * from "./topology";
export * from "./retry-policy";
export * from "./messages/user-registration";
export * from "./messages/email-send";
export * from "./messages/report-generate";
export * from "./users";
