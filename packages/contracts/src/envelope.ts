import { z } from "zod";
import type { QueueName } from "./topology";

/**
 * When a message's event happened: any RFC 3339 date-time, with `Z` or an offset (`+00:00` from
 * Python's `isoformat()`, `+02:00`), normalised to UTC (`…Z`, to the millisecond) when parsed, so
 * consumers and logs see one form whatever the producer wrote.
 */
export const OccurredAtSchema = z.iso
  .datetime({ offset: true })
  .meta({ description: "RFC 3339 date-time with `Z` or any offset; read as UTC, to the millisecond." })
  .transform((value) => new Date(value).toISOString());

/**
 * Every message on the broker is an envelope: a unique id (consumers are idempotent by it), the
 * message type and version (consumers parse the payload with the schema of that exact pair),
 * when it happened, and the payload. Fields an envelope does not name are ignored, as the REST
 * API ignores them in a registration (docs/integrating.md, "Unknown fields").
 */
function envelopeSchema<Type extends string, Version extends number, Payload extends z.ZodType>(
  type: Type,
  version: Version,
  payload: Payload,
) {
  return z.object({
    id: z.uuid().meta({ description: "Unique per message; also sent as the AMQP `message_id` property." }),
    type: z.literal(type).meta({ description: "The message type; also sent as the AMQP `type` property." }),
    version: z.literal(version).meta({ description: "The version of the payload's shape." }),
    occurredAt: OccurredAtSchema,
    payload,
  });
}

/** A message contract: the queue it travels on, its type, version and envelope schema. */
export interface MessageContract<Schema extends z.ZodType = z.ZodType> {
  queue: QueueName;
  type: string;
  version: number;
  schema: Schema;
  /** What the message asks for, in a sentence (the AsyncAPI document shows it). */
  summary: string;
}

export function defineMessage<Type extends string, Version extends number, Payload extends z.ZodType>(definition: {
  queue: QueueName;
  type: Type;
  version: Version;
  payload: Payload;
  summary: string;
}) {
  return {
    queue: definition.queue,
    type: definition.type,
    version: definition.version,
    summary: definition.summary,
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
