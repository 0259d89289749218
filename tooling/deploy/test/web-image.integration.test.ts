/**
 * The web's Dockerfile, its stages run outside Docker (image-support.ts): the runtime stage is the
 * standalone folder copied on its own; the api stage is the REST API's bundle alone, run with
 * plain node.
 */
import { ensureWebBuild } from "@userstream/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { copyStage, dockerCommand } from "./dockerfiles";
import {
  bundleStage,
  run,
  secretFiles,
  start,
  startOnFreePort,
  stopped,
  tempFolder,
  useImageServices,
  WEB_SECRETS,
} from "./image-support";

const DOCKERFILE = "apps/web/Dockerfile";
const services = useImageServices("web_image");
// The build stage: `pnpm turbo build --filter=@userstream/web` (next build and the API's bundle).
beforeAll(() => ensureWebBuild(), 600_000);

describe("the web image's runtime stage", () => {
  it("runs from the standalone folder alone and serves the pages, the API and its health check", async () => {
    const app = tempFolder("userstream-web-image-");
    copyStage(DOCKERFILE, "runtime", app);
    const env = {
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: services.database.appUrl,
      AMQP_URL: services.vhost.url,
      REPORTS_DIR: tempFolder("userstream-web-image-reports-"),
      ...WEB_SECRETS,
    };
    const [command, ...args] = dockerCommand(DOCKERFILE, "runtime", "CMD");
    expect(command).toBe("node");
    const server = await startOnFreePort(
      (port) => start(process.execPath, args, app, { ...env, PORT: port }),
      async (port) => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
    );
    const { port } = server;
    const base = `http://127.0.0.1:${port}`;

    const home = await fetch(base);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("First name");
    // The browser assets were copied in beside the server.
    const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${base}${script}`)).status).toBe(200);
    // Prisma (through the bundled client) answers from the database: the public users list, over tRPC.
    const list = await fetch(`${base}/api/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(await list.json()).toMatchObject({ result: { data: { json: { items: [], total: 0 } } } });

    // The image's HEALTHCHECK command passes against it.
    const [, ...healthArgs] = dockerCommand(DOCKERFILE, "runtime", "HEALTHCHECK");
    await expect(run(process.execPath, healthArgs, { env: { PORT: port } })).resolves.toBeDefined();
    server.child.kill("SIGTERM");
  });
});

describe("the web image's api stage", () => {
  it("runs the REST API's bundle alone with plain node, answers from the database and passes the HEALTHCHECK", async () => {
    const app = bundleStage(DOCKERFILE, "api");
    const [command, ...args] = dockerCommand(DOCKERFILE, "api", "CMD");
    expect([command, ...args]).toEqual(["node", "dist/api.mjs"]);
    // As compose.prod.yml hands them over: every secret in a file.
    const env = {
      NODE_ENV: "production",
      ...secretFiles({ DATABASE_URL: services.database.appUrl, AMQP_URL: services.vhost.url, ...WEB_SECRETS }),
    };
    const api = await startOnFreePort(
      (port) => start(process.execPath, args, app, { ...env, API_PORT: port }),
      async (port) => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
    );
    const { port } = api;
    const base = `http://127.0.0.1:${port}`;

    const registration = { firstName: "Ada", lastName: "Lovelace", email: "ada.api-image@example.com" };
    const accepted = await fetch(`${base}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(registration),
    });
    expect(accepted.status).toBe(202);
    // Prisma (its WASM query compiler inside the bundle) answers from the database: queued, not yet stored.
    const { registrationId } = (await accepted.json()) as { registrationId: string };
    expect(await (await fetch(`${base}/api/v1/registrations/${registrationId}`)).json()).toEqual({
      registrationId,
      status: "queued",
    });
    // The OpenAPI document is generated at run time from the bundled procedures.
    expect(await (await fetch(`${base}/api/openapi.json`)).json()).toMatchObject({
      paths: expect.objectContaining({ "/registrations": expect.anything() }),
    });

    const [, ...healthArgs] = dockerCommand(DOCKERFILE, "api", "HEALTHCHECK");
    await expect(run(process.execPath, healthArgs, { env: { API_PORT: port } })).resolves.toBeDefined();
    expect(await stopped(api), `stops cleanly on SIGTERM:\n${api.output()}`).toBe(0);
  });
});
