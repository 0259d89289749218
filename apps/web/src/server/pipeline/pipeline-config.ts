import "server-only";
import { retryPolicy } from "@userstream/contracts";
import { parseBrokerUrls } from "@userstream/messaging/broker-urls";
import { env } from "~/env";
import type { PipelineConfig } from "./pipeline-service";

/** The pipeline view's configuration, from the validated environment. */
export function pipelineConfig(): PipelineConfig {
  // A cluster's nodes share their queues: the first one's host stands for the broker.
  const broker = new URL(parseBrokerUrls(env.AMQP_URL)[0] as string);
  return {
    amqpUrl: env.AMQP_URL,
    // env.ts refuses a management URL without RABBITMQ_MANAGEMENT_USER and RABBITMQ_MANAGEMENT_PASSWORD.
    management: env.RABBITMQ_MANAGEMENT_URL
      ? {
          url: env.RABBITMQ_MANAGEMENT_URL,
          user: env.RABBITMQ_MANAGEMENT_USER ?? "",
          password: env.RABBITMQ_MANAGEMENT_PASSWORD ?? "",
        }
      : undefined,
    // The workers' RETRY_DELAYS_MS, which the web reads too: one delay queue per retry.
    retryPolicy: retryPolicy(env.RETRY_DELAYS_MS),
    managementUiUrl: env.RABBITMQ_MANAGEMENT_PUBLIC_URL ?? `http://${broker.hostname}:15672/`,
    processes: [
      { name: "receiver", url: env.RECEIVER_URL },
      { name: "sender", url: env.SENDER_URL },
      { name: "reporter", url: env.REPORTER_URL },
    ],
  };
}
