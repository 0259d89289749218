export * from "./registration";
export * from "./envelope";
export * from "./topology";
export * from "./messages/user-registration";
