import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

const isDev = process.env.NODE_ENV === "development";

/**
 * Everything is served from this origin: no remote fonts (Geist is bundled), scripts or styles.
 * Next's inline bootstrap scripts need 'unsafe-inline' without nonces; dev mode also needs eval
 * (React's error overlays) and websockets (hot reload).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages ship TypeScript sources.
  transpilePackages: ["@userstream/contracts", "@userstream/db", "@userstream/messaging"],
  // Native drivers and Prisma's runtime load files at run time: keep them out of the bundle.
  serverExternalPackages: ["pg", "amqplib", "pino", "@prisma/client", "@prisma/adapter-pg"],
  // `next dev` on 127.0.0.1 refuses its own dev resources to other origins, and the page never hydrates.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      {
        // The confirmation page's address holds the token: no Referer carries it anywhere, and
        // crawlers that ignore the page's own robots meta still see noindex.
        source: "/confirm",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
        ],
      },
    ];
  },
};

/**
 * `next dev` reads `.env` files only from apps/web; the project keeps one at the repository root
 * (or its working defaults in `.env.example`). Variables already set win. Production (`next
 * start`) gets its environment from whoever starts it.
 */
function loadRootEnvForDev(): void {
  const rootEnv = fileURLToPath(new URL("../../.env", import.meta.url));
  const example = fileURLToPath(new URL("../../.env.example", import.meta.url));
  const file = existsSync(rootEnv) ? rootEnv : example;
  if (existsSync(file)) process.loadEnvFile(file);
}

export default function config(phase: string): NextConfig {
  if (phase === PHASE_DEVELOPMENT_SERVER) loadRootEnvForDev();
  return nextConfig;
}
