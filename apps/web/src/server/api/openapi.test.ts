import { describe, expect, it } from "vitest";
import { createOpenApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  const document = createOpenApiDocument("http://localhost:3000/");
  const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>>;

  it("serves the REST contract under /api/v1", () => {
    expect(document.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    expect(Object.keys(paths).sort()).toEqual(["/registrations", "/registrations/{registrationId}", "/users"]);
    expect(paths["/users"]?.get?.parameters?.map((parameter) => parameter.name).sort()).toEqual(["cursor", "limit", "search"]);
  });

  it("documents 202, 400 { errors }, 413, 429 and 503 for registrations, not 200", () => {
    const responses = paths["/registrations"]?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(["202", "400", "413", "429", "500", "503"]);
    expect(JSON.stringify(responses["400"])).toContain('"errors"');
  });
});
