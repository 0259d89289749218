export { default } from "@userstream/eslint-config/base";
