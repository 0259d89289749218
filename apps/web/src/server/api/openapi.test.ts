import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Validator } from "@seriousme/openapi-schema-validator";
import { USER_SEARCH_MIN_WORD_LENGTH } from "@userstream/contracts";
import { describe, expect, it } from "vitest";
import { generatedApiClientFiles } from "./api-client-files";
import { createOpenApiDocument } from "./openapi";

type Response = { headers?: Record<string, unknown>; content?: { "application/json"?: { schema?: { $ref?: string } } } };

describe("OpenAPI document", () => {
  const document = createOpenApiDocument("http://localhost:3000/");
  const paths = document.paths as Record<
    string,
    Record<
      string,
      {
        responses: Record<string, Response>;
        parameters?: { name: string; schema?: { description?: string } }[];
        security?: unknown[];
      }
    >
  >;

  it("serves the REST contract under /api/v1", () => {
    expect(document.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    expect(Object.keys(paths).sort()).toEqual([
      "/registrations",
      "/registrations/{registrationId}",
      "/registrations/{registrationId}/send-again",
      "/users",
      "/users/{id}",
    ]);
    expect(paths["/users"]?.get?.parameters?.map((parameter) => parameter.name).sort()).toEqual([
      "cursor",
      "emailPrefix",
      "limit",
      "search",
      "sort",
    ]);
    // The rule a search is refused by (400) is documented with the parameter.
    expect(paths["/users"]?.get?.parameters?.find((parameter) => parameter.name === "search")).toMatchObject({
      schema: { description: expect.stringContaining(`at least ${USER_SEARCH_MIN_WORD_LENGTH} characters`) },
    });
    expect(Object.keys(paths["/users/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });

  it("documents 202, 400 { errors }, 413, 429 and 503 for registrations, not 200", () => {
    const responses = paths["/registrations"]?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(["202", "400", "413", "429", "500", "503"]);
    expect(bodyOf(responses["400"])).toMatchObject({ required: ["errors"] });
    expect(bodyOf(responses["503"])).toMatchObject({
      required: ["message", "code"],
      properties: { outcome: { enum: ["refused", "unknown"] } },
    });
    expect(responses["429"]?.headers).toHaveProperty("Retry-After");
  });

  it("documents send-again's 409 (cannot be sent again) and 429 with Retry-After (too soon)", () => {
    const responses = paths["/registrations/{registrationId}/send-again"]?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(["200", "400", "404", "409", "429", "500", "503"]);
    expect(responses["429"]?.headers).toHaveProperty("Retry-After");
    expect(paths["/registrations/{registrationId}/send-again"]?.post?.security).toBeUndefined();
  });

  /** The body schema of an answer, its `$ref` followed. */
  function bodyOf(response: Response | undefined) {
    const ref = response?.content?.["application/json"]?.schema?.$ref ?? "";
    return (document.components?.schemas as Record<string, object>)[ref.replace("#/components/schemas/", "")];
  }

  it("is a valid OpenAPI document, by the specification's own schema", async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    // The validator is not a rubber stamp: an answer without its description is refused.
    const broken = structuredClone(document) as unknown as { paths: typeof paths };
    delete (broken.paths["/users"]?.get?.responses["401"] as { description?: string }).description;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("documents every error the REST API answers with its body: 400, 401, 403, 404, 409, 413, 429, 500, 503", () => {
    const bodies: Record<string, string> = {};
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(bodyOf(response), `${method} ${path} ${status}`).toBeDefined();
          bodies[status] = response.content?.["application/json"]?.schema?.$ref ?? "";
        }
      }
    }
    expect(Object.keys(bodies).sort()).toEqual(["400", "401", "403", "404", "409", "413", "429", "500", "503"]);
    expect(bodies["400"]).toBe("#/components/schemas/FieldErrors");
    // Every request with a body may be too large, the rename too.
    expect(Object.keys(paths["/users/{id}"]?.patch?.responses ?? {})).toContain("413");
    expect(Object.keys(paths["/users/{id}"]?.get?.responses ?? {})).toContain("404");
  });

  it("is committed in packages/api-client with the client's generated types, as the procedures generate them", async () => {
    const clientDir = createRequire(import.meta.url)
      .resolve("@userstream/api-client/openapi.json")
      .replace(/openapi\.json$/, "");
    // When this fails: pnpm --filter @userstream/web generate:api-client, and commit the result.
    for (const [file, content] of Object.entries(await generatedApiClientFiles())) {
      expect(await readFile(`${clientDir}${file}`, "utf8"), file).toBe(content);
    }
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
