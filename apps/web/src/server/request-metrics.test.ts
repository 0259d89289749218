import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createOpenApiDocument } from "./api/openapi";
import { REST_PREFIX } from "./api/rest-handler";
import { routeTemplate } from "./request-metrics";

const appDir = fileURLToPath(new URL("../app", import.meta.url));

/** Every page and route handler under src/app, as a request path (groups dropped, `[x]` → an example value). */
function appPaths(dir = appDir, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return /^(page\.tsx|route\.ts)$/.test(entry.name) ? [prefix || "/"] : [];
    if (!entry.isDirectory()) return [];
    const segment = /^\(.*\)$/.test(entry.name)
      ? ""
      : `/${entry.name.replace(/^\[\.\.\.(.+)\]$/, "x/y").replace(/^\[(.+)\]$/, "x")}`;
    return appPaths(path.join(dir, entry.name), prefix + segment);
  });
}

describe("routeTemplate: the duration histogram's route label", () => {
  it("names every page and route of the app and every REST path by its template", () => {
    const restPaths = Object.keys(createOpenApiDocument("http://localhost").paths ?? {}).map((rest) => `${REST_PREFIX}${rest}`);
    const paths = [...appPaths().filter((appPath) => !appPath.startsWith(`${REST_PREFIX}/`)), ...restPaths];
    expect(paths.length).toBeGreaterThan(15);
    const unnamed = paths.filter((requestPath) => routeTemplate(requestPath.replace(/\{[^}]+\}/g, "x")) === "other");
    expect(unnamed).toEqual([]);
  });

  it("replaces ids and the query with placeholders, and anything unknown with `other`", () => {
    const id = crypto.randomUUID();
    expect(routeTemplate(`/api/v1/users/${id}`)).toBe("/api/v1/users/{id}");
    expect(routeTemplate(`/api/v1/registrations/${id}?x=1`)).toBe("/api/v1/registrations/{registrationId}");
    expect(routeTemplate("/api/trpc/users.list,registration.status?batch=1")).toBe("/api/trpc/{procedure}");
    expect(routeTemplate(`/api/admin/reports/${id}/download`)).toBe("/api/admin/reports/{id}/download");
    expect(routeTemplate("/_next/static/chunks/app/page-0123.js")).toBe("/_next/{...asset}");
    expect(routeTemplate("/users?_rsc=abc")).toBe("/users");
    expect(routeTemplate("/")).toBe("/");
    expect(routeTemplate(`/wp-admin/${id}.php`)).toBe("other");
    expect(routeTemplate(`/api/v1/users/${id}/more`)).toBe("other");
  });
});
