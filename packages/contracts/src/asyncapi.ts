import type { MessageContract } from "./envelope";
import { MESSAGE_CONTRACTS, messageJsonSchema } from "./message-catalog";
import { DEFAULT_RETRY_POLICY } from "./retry-policy";
import {
  ATTEMPTS_HEADER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_REASONS,
  QUEUES,
  queueTopology,
  type QueueName,
  type TopologyQueue,
} from "./topology";

const AMQP_BINDING_VERSION = "0.3.0";
const CONTENT_TYPE = "application/json";
const DRAFT_07 = "application/schema+json;version=draft-07";

/** Who consumes each work queue, and who publishes to it. */
const PARTIES: Record<QueueName, { consumer: string; producers: string }> = {
  [QUEUES.registration]: {
    consumer: "receiver",
    producers: "the web and the REST API (`POST /api/v1/registrations`), or any other service",
  },
  [QUEUES.emailSend]: {
    consumer: "sender",
    producers: "the receiver, after storing a new user; the web, when an admin resends an email",
  },
  [QUEUES.reportGenerate]: { consumer: "reporter", producers: "the web (an admin's request) and the reporter's own schedule" },
  [QUEUES.webhookDeliver]: {
    consumer: "sender",
    producers: "the sender's outbox relay, for each webhook_deliveries row recorded with its event (or replayed by an admin)",
  },
};

/** `user.registration.retry.1` → `userRegistrationRetry1`: the keys of channels, operations and messages. */
function keyOf(name: string): string {
  return name.replace(/[.\-_]+(\w)/g, (_match, letter: string) => letter.toUpperCase());
}
const capitalized = (key: string) => `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
const ref = (...path: string[]) => ({ $ref: `#/${path.join("/")}` });
const messageKey = (contract: MessageContract) => keyOf(`${contract.type}.v${contract.version}`);

const retryHeaders = {
  type: "object",
  properties: {
    [ATTEMPTS_HEADER]: {
      type: "integer",
      minimum: 1,
      description: "Failed attempts so far; absent on a first delivery. Producers never set it.",
    },
  },
};

const deadLetterHeaders = {
  type: "object",
  required: Object.values(DEAD_LETTER_HEADERS),
  properties: {
    [DEAD_LETTER_HEADERS.reason]: {
      type: "string",
      enum: Object.values(DEAD_LETTER_REASONS),
      description:
        "`malformed`: not JSON, or not the contract (the error says which field); `unsupported_version`: a version of " +
        "its type this consumer does not handle; `rejected`: the handler said retrying cannot help; " +
        "`retries-exhausted`: the last retry failed.",
    },
    [DEAD_LETTER_HEADERS.error]: { type: "string", description: "The error, at most about 1,000 characters." },
    [DEAD_LETTER_HEADERS.queue]: { type: "string", description: "The work queue it came from." },
    [DEAD_LETTER_HEADERS.attempts]: { type: "integer", minimum: 1, description: "Attempts made, this one included." },
  },
};

function contractMessage(contract: MessageContract) {
  return {
    name: contract.type,
    title: `${contract.type} v${contract.version}`,
    summary: contract.summary,
    description:
      "AMQP properties: `message_id` = the envelope's `id`, `type` = the envelope's `type`, `content_type` = " +
      "`application/json` (UTF-8), `delivery_mode` = 2 (persistent). The body is the JSON envelope.",
    contentType: CONTENT_TYPE,
    headers: retryHeaders,
    payload: { schemaFormat: DRAFT_07, schema: messageJsonSchema(contract) },
    bindings: { amqp: { messageType: contract.type, bindingVersion: AMQP_BINDING_VERSION } },
  };
}

const parkedMessage = {
  name: "parked",
  title: "A parked message",
  summary: "A message its consumer could not handle, kept with the reason until an operator replays or removes it.",
  description:
    "The body and properties are the message's own, unchanged (the body may not even be JSON); the headers say why it was parked.",
  headers: deadLetterHeaders,
  payload: { description: "The message as it arrived." },
};

function describeQueue(queue: TopologyQueue): string {
  const { consumer } = PARTIES[queue.workQueue];
  if (queue.kind === "work") {
    return (
      `Quorum queue, durable, consumed by the ${consumer} with manual acks. A failed message goes to the delay queues, ` +
      `then to \`${queue.workQueue}.dead\`. The broker itself dead-letters a message after ${DEFAULT_RETRY_POLICY.deliveryLimit} deliveries; ` +
      "a full queue refuses publishes (`reject-publish`)."
    );
  }
  if (queue.kind === "retry") {
    return (
      `Delay queue: a failed message waits here (by default ${queue.delayMs} ms, the message's expiration), then the broker ` +
      `returns it to \`${queue.workQueue}\`. One delay queue per entry of RETRY_DELAYS_MS (three by default).`
    );
  }
  return "Parking queue: messages that can never succeed, with the reason in their headers. Replayed with `replay-dead-letters`.";
}

function channel(queue: TopologyQueue, messages: Record<string, unknown>) {
  return {
    address: queue.name,
    title: queue.name,
    description: describeQueue(queue),
    messages,
    bindings: {
      amqp: {
        is: "queue",
        queue: { name: queue.name, durable: true, exclusive: false, autoDelete: false },
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
  };
}

/** The channels and operations of one work queue with its delay and parking queues. */
function queueParts(contract: MessageContract) {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const key = messageKey(contract);
  const { consumer, producers } = PARTIES[contract.queue];
  for (const queue of queueTopology(contract.queue, DEFAULT_RETRY_POLICY)) {
    const channelKey = keyOf(queue.name);
    const messageRef = queue.kind === "dead" ? "parked" : key;
    channels[channelKey] = channel(queue, { [messageRef]: ref("components", "messages", messageRef) });
    const messages = [ref("channels", channelKey, "messages", messageRef)];
    const on = ref("channels", channelKey);
    if (queue.kind === "work") {
      operations[`send${capitalized(channelKey)}`] = {
        action: "send",
        channel: on,
        title: `Publish ${contract.type}`,
        description:
          `Published by ${producers}: to the default exchange (\`""\`) with the queue's name as routing key, persistent ` +
          "and mandatory, on a channel in confirm mode; the message is safe only once the broker confirms it.",
        messages,
        bindings: { amqp: { deliveryMode: 2, mandatory: true, bindingVersion: AMQP_BINDING_VERSION } },
      };
      operations[`receive${capitalized(channelKey)}`] = {
        action: "receive",
        channel: on,
        title: `The ${consumer} handles ${contract.type}`,
        description:
          "Acked only once handled (the database committed, any hand-off confirmed); idempotent, so a redelivery changes nothing.",
        messages,
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
      };
    } else {
      operations[`${queue.kind === "retry" ? "delay" : "park"}${capitalized(channelKey)}`] = {
        action: "send",
        channel: on,
        title: queue.kind === "retry" ? `The ${consumer} delays a failed message` : `The ${consumer} parks a message`,
        messages,
      };
    }
  }
  return { channels, operations, message: [key, contractMessage(contract)] as const };
}

/**
 * The AsyncAPI 3 document of every queue and message: the work queues with their delay and
 * parking queues, each message's envelope as JSON Schema, its AMQP properties and headers. Built
 * from the contracts; committed as `asyncapi.json` and served at `/api/asyncapi.json`.
 */
export function createAsyncApiDocument() {
  const parts = MESSAGE_CONTRACTS.map(queueParts);
  return {
    asyncapi: "3.0.0",
    info: {
      title: "UserStream messages",
      version: "1.0.0",
      description:
        "The queues between UserStream's services and the messages on them. Every message is a JSON envelope " +
        "`{ id, type, version, occurredAt, payload }`; see docs/integrating.md for publishing from another language.",
    },
    defaultContentType: CONTENT_TYPE,
    servers: {
      local: {
        host: "127.0.0.1:5672",
        protocol: "amqp",
        description: "The local broker (`AMQP_URL` in .env.example); each deployment has its own.",
      },
    },
    channels: Object.assign({}, ...parts.map((part) => part.channels)),
    operations: Object.assign({}, ...parts.map((part) => part.operations)),
    components: { messages: { ...Object.fromEntries(parts.map((part) => part.message)), parked: parkedMessage } },
  };
}
