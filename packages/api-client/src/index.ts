import createClient from "openapi-fetch";
import type { components, paths } from "./openapi-types";

export type { components, paths } from "./openapi-types";

/** A user as the REST API answers it. */
export type User = paths["/users/{id}"]["get"]["responses"][200]["content"]["application/json"];
/** The body of a 400: the first problem with each field. */
export type FieldErrors = components["schemas"]["FieldErrors"];
/** The body of every other error (`message`, `code`); a 503 of a registration adds `outcome`. */
export type ApiError = components["schemas"]["Error"];

/**
 * A typed client of UserStream's REST API (`/api/v1`), its types generated from the OpenAPI
 * document (`pnpm --filter @userstream/web generate:api-client`). `apiKey` is sent as
 * `Authorization: Bearer <key>`; registrations need none.
 */
export function createUserStreamClient(options: { baseUrl: string; apiKey?: string; fetch?: typeof fetch }) {
  return createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, "")}/api/v1`,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type UserStreamClient = ReturnType<typeof createUserStreamClient>;
