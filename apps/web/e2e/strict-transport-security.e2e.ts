import { expect, test } from "@playwright/test";
import { onFreePort, ownerEnv } from "@userstream/test-support";
import { DEVELOPMENT_ADMIN } from "../src/server/auth/development-admin";
import { required } from "./inspect";
import { LOG_DIR, STANDALONE_SERVER, WEB_DIR, startServer, waitUntilListening } from "./servers";

const HSTS = "max-age=63072000; includeSubDomains";
// A page, an API answer and a static file: every kind of answer.
const PATHS = ["/", "/api/health", "/icon.svg"];

test("HSTS is sent with every answer when APP_URL is https, and never when it is http", async ({ request }) => {
  // This run's server: APP_URL is http://127.0.0.1:…
  for (const path of PATHS) {
    const answer = await request.get(path);
    expect(answer.ok(), path).toBe(true);
    expect(answer.headers()["strict-transport-security"], path).toBeUndefined();
  }

  // The same build started behind an https address (TLS ends at a proxy in front of it).
  const secure = await onFreePort(async (port) => {
    const server = startServer({
      name: "web-https",
      command: process.execPath,
      args: [STANDALONE_SERVER],
      cwd: WEB_DIR,
      logDir: LOG_DIR,
      env: {
        ...process.env,
        ...ownerEnv(),
        NODE_ENV: "production",
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
        APP_URL: "https://userstream.example",
        DATABASE_URL: required("E2E_DATABASE_URL"),
        AMQP_URL: required("E2E_AMQP_URL"),
        CONFIRMATION_TOKEN_SECRET: required("E2E_CONFIRMATION_TOKEN_SECRET"),
        // The development admin: accepted in production only in the local trial, on loopback as here.
        USERSTREAM_LOCAL_TRIAL: "1",
        ADMIN_EMAIL: DEVELOPMENT_ADMIN.ADMIN_EMAIL,
        ADMIN_PASSWORD_HASH: DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH,
        SESSION_SECRET: DEVELOPMENT_ADMIN.SESSION_SECRET,
        LOG_LEVEL: "warn",
      },
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilListening(server, `${url}/api/health`);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return { server, url };
  });
  try {
    for (const path of PATHS) {
      const answer = await request.get(`${secure.url}${path}`);
      expect(answer.ok(), path).toBe(true);
      expect(answer.headers()["strict-transport-security"], path).toBe(HSTS);
    }
  } finally {
    await secure.server.stop();
  }
});
