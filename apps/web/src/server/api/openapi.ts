import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./root";
import { REST_PREFIX } from "./rest-handler";
import { REST_SUCCESS_STATUS } from "./rest-errors";

type OpenApiDocument = ReturnType<typeof generateOpenApiDocument>;
type SchemaObject = NonNullable<NonNullable<OpenApiDocument["components"]>["schemas"]>[string];
type Operation = { operationId?: string; security?: unknown[]; requestBody?: unknown; responses?: Record<string, unknown> };

const fieldErrorsSchema = {
  type: "object",
  required: ["errors"],
  properties: {
    errors: {
      type: "object",
      description: "The first problem with each field, by field name (`form` for the request as a whole).",
      additionalProperties: { type: "string" },
    },
  },
};
const messageSchema = {
  type: "object",
  required: ["message", "code"],
  properties: { message: { type: "string" }, code: { type: "string" } },
};

const publishFailureSchema = {
  ...messageSchema,
  properties: {
    ...messageSchema.properties,
    outcome: {
      type: "string",
      enum: ["refused", "unknown"],
      description:
        "`refused`: nothing was accepted (the broker could not be reached, refused the message, or blocks publishing " +
        "in a resource alarm); send it again. `unknown`: the registration was sent but not confirmed in time; it may " +
        "still be stored. Sending it again is safe either way: one email address is one user with one welcome email.",
    },
  },
};

/** The error bodies, named in `components.schemas` so that generated clients get one type for each. */
const ERROR_SCHEMAS = { FieldErrors: fieldErrorsSchema, Error: messageSchema, PublishFailure: publishFailureSchema };

function jsonResponse(description: string, schema: keyof typeof ERROR_SCHEMAS, headers?: object) {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 0 } },
};

/** The error answers of one operation, as the REST handler sends them (`rest-errors.ts`, `limited-body.ts`, `trpc.ts`). */
function errorResponses(procedure: string, operation: Operation, generated: string[]) {
  const responses: Record<string, unknown> = {
    "400": jsonResponse("Invalid input: the first problem with each field", "FieldErrors"),
    "500": jsonResponse("Something went wrong on the server", "Error"),
  };
  if (generated.includes("404")) {
    const which =
      procedure.endsWith(".list") || procedure === "registration.status" ? "No such path" : "No such user (or no such path)";
    responses["404"] = jsonResponse(which, "Error");
  }
  if (operation.requestBody) responses["413"] = jsonResponse("The request body is over 64 kB", "Error");
  if (operation.security) {
    responses["401"] = jsonResponse("No API key, or one that is not valid, has been revoked or has expired", "Error");
    responses["403"] = jsonResponse("The API key lacks the scope this operation needs (see its description)", "Error");
    responses["429"] = jsonResponse(
      "Too many requests with this API key in a minute; wait as long as `Retry-After` says",
      "Error",
      retryAfter,
    );
  }
  if (procedure === "registration.submit") {
    responses["429"] = jsonResponse(
      "Too many registrations from this client address; wait as long as `Retry-After` says",
      "Error",
      retryAfter,
    );
    responses["503"] = jsonResponse("The broker did not confirm the registration: see `outcome`", "PublishFailure");
  }
  if (procedure === "registration.sendAgain") {
    responses["404"] = jsonResponse("No such path", "Error");
    responses["409"] = jsonResponse(
      "It cannot be sent again: not processed yet, being sent, the address confirmed, or it refused our email",
      "Error",
    );
    responses["429"] = jsonResponse(
      "Sent again too recently or too often for this address or client address; the message says until when, as does `Retry-After`",
      "Error",
      retryAfter,
    );
    responses["503"] = jsonResponse("The broker did not confirm: nothing was queued, try again", "Error");
  }
  return responses;
}

/**
 * The OpenAPI document of `/api/v1`, generated from the procedures' zod schemas. The generator
 * knows only 200 and the tRPC error shape, so the success status and the error answers are
 * rewritten to what the REST handler really sends, each with its body (`components.schemas`).
 */
export function createOpenApiDocument(appUrl: string): OpenApiDocument {
  const document = generateOpenApiDocument(appRouter, {
    title: "UserStream API",
    description:
      "Registrations (public) and the users (for other services: send an API key an admin created at /admin/api-keys " +
      "as `Authorization: Bearer <key>`).",
    securitySchemes: { Authorization: { type: "http", scheme: "bearer", description: "An API key (`usk_…`)" } },
    version: "1.0.0",
    baseUrl: `${appUrl.replace(/\/+$/, "")}${REST_PREFIX}`,
    tags: ["registrations", "users"],
  });
  // The generator's own error schemas (`error.BAD_REQUEST`, …) describe the tRPC shape the REST handler never sends.
  const schemas = Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error."));
  document.components = {
    ...document.components,
    schemas: { ...Object.fromEntries(schemas), ...(ERROR_SCHEMAS as Record<string, SchemaObject>) },
  };
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem as Record<string, Operation>)) {
      const responses = operation.responses;
      if (!responses) continue;
      const procedure = operation.operationId?.replace(/-/g, ".") ?? "";
      const success = REST_SUCCESS_STATUS[procedure];
      if (success && responses["200"]) {
        responses[String(success)] = responses["200"];
        delete responses["200"];
      }
      const generated = Object.keys(responses).filter((status) => Number(status) >= 400);
      for (const status of generated) delete responses[status];
      Object.assign(responses, errorResponses(procedure, operation, generated));
    }
  }
  return document;
}
