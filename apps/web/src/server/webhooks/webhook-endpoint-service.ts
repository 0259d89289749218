import {
  REPLAYABLE_WEBHOOK_STATUSES,
  WebhookEndpointInputSchema,
  type WebhookDeliveryStatus,
  type WebhookEndpointInput,
} from "@userstream/contracts";
import { encryptWebhookSecret, generateWebhookSecret } from "@userstream/contracts/webhook-secret";
import type { PrismaClient } from "@userstream/db";
import { resolveTarget, TargetRefusedError } from "@userstream/runtime/network-target";

export interface WebhookDeps {
  db: Pick<PrismaClient, "webhookEndpoint" | "webhookDelivery">;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: true only in tests and local development. */
  allowPrivateTargets: boolean;
  /** CONFIRMATION_TOKEN_SECRET, from which the key of the stored endpoint secrets is derived. */
  secretsKey: string;
}

/** Deliveries the admin page lists, newest first. */
export const WEBHOOK_DELIVERIES_LISTED = 100;

const ENDPOINT_FIELDS = {
  id: true,
  url: true,
  description: true,
  events: true,
  createdBy: true,
  createdAt: true,
  consecutiveFailures: true,
  disabledAt: true,
  disabledReason: true,
} as const;

/** What making an endpoint did: made (with its secret, shown this once), or refused for its address. */
export type CreateEndpointResult =
  | { ok: true; endpoint: { id: string; url: string; events: string[] }; secret: string }
  | { ok: false; field: "url"; message: string };

/**
 * Makes an endpoint after checking where its URL leads: every address its host resolves to must be
 * public (unless private targets are allowed). The secret is generated here, returned this once,
 * and stored only encrypted.
 */
export async function createWebhookEndpoint(
  input: WebhookEndpointInput,
  adminEmail: string,
  deps: WebhookDeps,
): Promise<CreateEndpointResult> {
  const { url, events, description } = WebhookEndpointInputSchema.parse(input);
  try {
    await resolveTarget(new URL(url).hostname, { allowPrivate: deps.allowPrivateTargets });
  } catch (err) {
    const message =
      err instanceof TargetRefusedError ? err.message : `${new URL(url).hostname} could not be resolved; check the address.`;
    return { ok: false, field: "url", message };
  }
  const secret = generateWebhookSecret();
  const endpoint = await deps.db.webhookEndpoint.create({
    data: {
      url,
      description,
      events: [...new Set(events)],
      secretCiphertext: encryptWebhookSecret(secret, deps.secretsKey),
      createdBy: adminEmail,
    },
    select: { id: true, url: true, events: true },
  });
  return { ok: true, endpoint, secret };
}

/** The endpoints, newest first, without their secrets; a disabled one says when and why. */
export function listWebhookEndpoints({ db }: Pick<WebhookDeps, "db">) {
  return db.webhookEndpoint.findMany({ orderBy: { createdAt: "desc" }, select: ENDPOINT_FIELDS });
}

/** The latest deliveries (of one endpoint, or all), each with its attempts: status code and duration. */
export function listWebhookDeliveries(endpointId: string | undefined, { db }: Pick<WebhookDeps, "db">) {
  return db.webhookDelivery.findMany({
    where: endpointId ? { endpointId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: WEBHOOK_DELIVERIES_LISTED,
    select: {
      id: true,
      endpointId: true,
      eventId: true,
      eventType: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      endpoint: { select: { url: true } },
      attemptsMade: {
        orderBy: { attempt: "asc" },
        select: { attempt: true, statusCode: true, durationMs: true, error: true, createdAt: true },
      },
    },
  });
}

/** Deletes an endpoint and its deliveries; false when there was none. */
export async function deleteWebhookEndpoint(id: string, { db }: Pick<WebhookDeps, "db">): Promise<boolean> {
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id } });
  return count === 1;
}

/**
 * Enables an endpoint again (its run of failures starts from 0) or disables it by hand. Deliveries
 * that failed meanwhile stay failed, for the admin to replay. False when there is no such endpoint.
 */
export async function setWebhookEndpointEnabled(
  id: string,
  enabled: boolean,
  adminEmail: string,
  { db }: Pick<WebhookDeps, "db">,
): Promise<boolean> {
  const { count } = await db.webhookEndpoint.updateMany({
    where: { id },
    data: enabled
      ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
      : { disabledAt: new Date(), disabledReason: `disabled by ${adminEmail}` },
  });
  return count === 1;
}

/** What replaying a delivery did. */
export type ReplayResult = "replayed" | "not-found" | "not-replayable" | "endpoint-disabled";

/**
 * Sends a failed or dead delivery again: it goes back to `pending` and the sender's relay publishes
 * it, with the whole retry policy ahead of it; the same `webhook-id`, so an integrator that did get
 * it can tell. Refused while its endpoint is disabled (enable it first) or when it was not failed.
 */
export async function replayWebhookDelivery(id: string, { db }: Pick<WebhookDeps, "db">): Promise<ReplayResult> {
  const replayable = REPLAYABLE_WEBHOOK_STATUSES as WebhookDeliveryStatus[];
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, status: { in: replayable }, endpoint: { disabledAt: null } },
    data: { status: "pending", leaseExpiresAt: null },
  });
  if (count === 1) return "replayed";
  const delivery = await db.webhookDelivery.findUnique({
    where: { id },
    select: { status: true, endpoint: { select: { disabledAt: true } } },
  });
  if (!delivery) return "not-found";
  if (!replayable.includes(delivery.status)) return "not-replayable";
  return "endpoint-disabled";
}
