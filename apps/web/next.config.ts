import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { NON_PAGE_CONTENT_SECURITY_POLICY } from "./src/lib/content-security-policy";
import { SECURITY_HEADERS } from "./src/lib/security-headers";

// Pages get their Content-Security-Policy, with a nonce, from src/proxy.ts; HSTS, which depends on
// APP_URL at run time, comes from src/instrumentation-node.ts.

const nextConfig: NextConfig = {
  // A separate output folder for the bundle secret scan (src/bundle-secrets.integration.test.ts).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  // A self-contained server (`.next/standalone`) with only the files it needs: what the Docker image
  // ships and what `npm start` runs. Traced from the repository root, so workspace packages are in.
  output: "standalone",
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  poweredByHeader: false,
  // Types are checked once, by `pnpm typecheck` (which `npm test` and CI run beside lint), not again
  // inside every build: 12 s of each `npm start` and CI run.
  typescript: { ignoreBuildErrors: true },
  // Workspace packages ship TypeScript sources.
  transpilePackages: ["@userstream/contracts", "@userstream/db", "@userstream/messaging"],
  // Native drivers and Prisma's runtime load files at run time: keep them out of the bundle.
  serverExternalPackages: ["pg", "amqplib", "pino", "pino-pretty", "prom-client", "@prisma/client", "@prisma/adapter-pg"],
  // `next dev` on 127.0.0.1 refuses its own dev resources to other origins, and the page never hydrates.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  experimental: {
    // Server actions carry sign-in forms and the like: a few hundred bytes.
    serverActions: { bodySizeLimit: "64kb" },
    // Bodies the proxy buffers (page requests: server action posts) are cut at this size.
    proxyClientMaxBodySize: "64kb",
  },
  async headers() {
    return [
      { source: "/:path*", headers: [...SECURITY_HEADERS] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }] },
      { source: "/_next/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }] },
      { source: "/icon.svg", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }] },
      {
        // The confirmation and manage pages' addresses hold tokens: no Referer carries them anywhere,
        // and crawlers that ignore the pages' own robots meta still see noindex.
        source: "/:page(confirm|manage)",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
        ],
      },
    ];
  },
};

// `.env` and `.env.example` at the repository root are read by the server itself when it starts
// (instrumentation-node.ts), for `next dev` and the standalone server alike.
export default nextConfig;
