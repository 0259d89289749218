import { RetryDelaysMsSchema } from "@userstream/contracts";
import { brokerUrlsSchema } from "@userstream/messaging/broker-urls";
import { serviceEnv } from "@userstream/runtime/env";
import { z } from "zod";

/** Variables every worker reads, beyond those of every process. */
export const workerEnv = {
  ...serviceEnv,
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/userstream"),
  /** One broker, or a cluster's nodes separated by commas (tried in order, then failed over). */
  AMQP_URL: brokerUrlsSchema.default("amqp://guest:guest@127.0.0.1:5672"),
  NODE_ENV: z.string().default("development"),
  /** Waits before each retry of a failed message, in milliseconds, comma-separated. */
  RETRY_DELAYS_MS: RetryDelaysMsSchema,
};
