import { z } from "zod";
import { loadEnv, portSchema } from "@userstream/runtime/env";
import { workerEnv } from "../lib/worker-env";

/** Every variable the receiver reads (the deployment checks in tooling/deploy hold the manifests to it). */
export const receiverEnvShape = {
  ...workerEnv,
  RECEIVER_PORT: portSchema(8081),
  /** Unacknowledged registrations one receiver works on at once. */
  RECEIVER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(300),
  /** Most registrations stored together in one transaction (at most the prefetch). */
  RECEIVER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Longest a registration waits for its batch to fill, in milliseconds. */
  RECEIVER_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(5),
};

/** The receiver's configuration, validated once at start. */
export function loadReceiverEnv(source: NodeJS.ProcessEnv = process.env) {
  return loadEnv(receiverEnvShape, source);
}
export type ReceiverEnv = ReturnType<typeof loadReceiverEnv>;
