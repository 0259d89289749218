import { z } from "zod";
import type { QueueName } from "./topology";

/**
 * Every message on the broker is an envelope: a unique id (consumers are idempotent by it), the
 * message type and version (consumers parse the payload with the schema of that exact pair),
 * when it happened, and the payload.
 */
function envelopeSchema<Type extends string, Version extends number, Payload extends z.ZodType>(
  type: Type,
  version: Version,
  payload: Payload,
) {
  return z.object({
    id: z.uuid(),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime(),
    payload,
  });
}

/** A message contract: the queue it travels on, its type, version and envelope schema. */
export interface MessageContract<Schema extends z.ZodType = z.ZodType> {
  queue: QueueName;
  type: string;
  version: number;
  schema: Schema;
}

export function defineMessage<Type extends string, Version extends number, Payload extends z.ZodType>(definition: {
  queue: QueueName;
  type: Type;
  version: Version;
  payload: Payload;
}) {
  return {
    queue: definition.queue,
    type: definition.type,
    version: definition.version,
    schema: envelopeSchema(definition.type, definition.version, definition.payload),
  } satisfies MessageContract;
}

/** Builds an envelope for a payload, with a fresh id and the current time. */
export function createEnvelope<Type extends string, Version extends number, Payload>(
  contract: { type: Type; version: Version },
  payload: Payload,
  id: string = crypto.randomUUID(),
) {
  return { id, type: contract.type, version: contract.version, occurredAt: new Date().toISOString(), payload };
}
