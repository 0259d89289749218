export { default } from "@userstream/eslint-config/package";
