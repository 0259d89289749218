import base from "@userstream/eslint-config/base";

/** The shared rules; a suite is test code through and through, which reads its settings (sizes, ports) from the environment. */
export default [...base, { rules: { "no-restricted-properties": "off" } }];
