import { z } from "zod";
import { commonEnv, loadEnv } from "../lib/env";

/** The receiver's configuration, validated once at start. */
export function loadReceiverEnv(source: NodeJS.ProcessEnv = process.env) {
  return loadEnv(
    {
      ...commonEnv,
      RECEIVER_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
      /** Unacknowledged registrations one receiver works on at once. */
      RECEIVER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(50),
    },
    source,
  );
}
export type ReceiverEnv = ReturnType<typeof loadReceiverEnv>;
