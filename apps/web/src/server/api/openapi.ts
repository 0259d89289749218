import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./root";
import { REST_PREFIX } from "./rest-handler";
import { REST_SUCCESS_STATUS } from "./rest-errors";

type OpenApiDocument = ReturnType<typeof generateOpenApiDocument>;
type Operation = { operationId?: string; security?: unknown[]; responses?: Record<string, unknown> };

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

function jsonResponse(description: string, schema: object) {
  return { description, content: { "application/json": { schema } } };
}

/**
 * The OpenAPI document of `/api/v1`, generated from the procedures' zod schemas. The generator
 * knows only 200 and the tRPC error shape, so the success status and the error bodies are
 * rewritten to what the REST handler really sends.
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
      for (const status of Object.keys(responses)) {
        if (status === "400") responses[status] = jsonResponse("Invalid input", fieldErrorsSchema);
        else if (Number(status) >= 400) responses[status] = jsonResponse("Error", messageSchema);
      }
      if (operation.security) {
        responses["401"] = jsonResponse("No API key, or one that is not valid, has been revoked or has expired", messageSchema);
        responses["403"] = jsonResponse("The API key lacks the scope this operation needs (see its description)", messageSchema);
        responses["429"] = jsonResponse("Too many requests with this API key in a minute; wait as long as `Retry-After` says", messageSchema);
      }
      if (procedure === "registration.submit") {
        responses["503"] = jsonResponse("The broker did not confirm the registration: see `outcome`", publishFailureSchema);
        responses["429"] = jsonResponse("Too many registrations from this client address; wait a minute", messageSchema);
        responses["413"] = jsonResponse("The request body is over 64 kB", messageSchema);
      }
    }
  }
  return document;
}
