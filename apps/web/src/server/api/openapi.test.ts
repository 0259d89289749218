import { USER_SEARCH_MIN_WORD_LENGTH } from "@userstream/contracts";
import { describe, expect, it } from "vitest";
import { createOpenApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  const document = createOpenApiDocument("http://localhost:3000/");
  const paths = document.paths as Record<
    string,
    Record<string, { responses: Record<string, unknown>; parameters?: { name: string; schema?: { description?: string } }[]; security?: unknown[] }>
  >;

  it("serves the REST contract under /api/v1", () => {
    expect(document.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    expect(Object.keys(paths).sort()).toEqual(["/registrations", "/registrations/{registrationId}", "/users", "/users/{id}"]);
    expect(paths["/users"]?.get?.parameters?.map((parameter) => parameter.name).sort()).toEqual(["cursor", "limit", "search", "sort"]);
    // The rule a search is refused by (400) is documented with the parameter.
    expect(paths["/users"]?.get?.parameters?.find((parameter) => parameter.name === "search")).toMatchObject({
      schema: { description: expect.stringContaining(`at least ${USER_SEARCH_MIN_WORD_LENGTH} characters`) },
    });
    expect(Object.keys(paths["/users/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });

  it("documents 202, 400 { errors }, 413, 429 and 503 for registrations, not 200", () => {
    const responses = paths["/registrations"]?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(["202", "400", "413", "429", "500", "503"]);
    expect(JSON.stringify(responses["400"])).toContain('"errors"');
    expect(responses["503"]).toMatchObject({
      content: { "application/json": { schema: { required: ["message", "code"], properties: { outcome: { enum: ["refused", "unknown"] } } } } },
    });
  });

  it("requires a bearer API key for the users, and not for registrations", () => {
    expect(document.components?.securitySchemes).toMatchObject({ Authorization: { type: "http", scheme: "bearer" } });
    const users = [paths["/users"]?.get, ...Object.values(paths["/users/{id}"] ?? {})];
    for (const operation of users) {
      expect(operation?.security).toEqual([{ Authorization: [] }]);
      // 401 for the key itself, 403 for a scope it lacks, 429 over its rate limit.
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403", "429"]));
    }
    expect(paths["/registrations"]?.post?.security).toBeUndefined();
    expect(paths["/registrations/{registrationId}"]?.get?.security).toBeUndefined();
  });
});
