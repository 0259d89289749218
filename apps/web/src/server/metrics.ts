import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Why a registration was refused: the status the client was answered with. */
export type RegistrationRefusal = "400" | "413" | "429" | "503";

function createWebMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    registrationsAccepted: new Counter({
      name: "web_registrations_accepted_total",
      help: "Registrations accepted (confirmed by the broker), over tRPC and REST",
      registers: [registry],
    }),
    registrationsRefused: new Counter({
      name: "web_registrations_refused_total",
      help: "Registrations refused, by the status answered: 400 invalid, 413 body too large, 429 rate limited, 503 broker did not confirm",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: "web_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by route template (never the raw path)",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    publishConfirm: new Histogram({
      name: "web_publish_confirm_seconds",
      help: "Time from sending a message to the broker's confirm (result confirmed), or to giving up (failed)",
      labelNames: ["queue", "result"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type WebMetrics = ReturnType<typeof createWebMetrics>;

// One registry per process, on globalThis: Next.js may load this module in more than one bundle.
const globalForMetrics = globalThis as unknown as { userstreamWebMetrics?: WebMetrics };

/** The process's metrics (`/metrics` on the web and on the API server), with Node's process defaults. */
export function getWebMetrics(): WebMetrics {
  globalForMetrics.userstreamWebMetrics ??= createWebMetrics();
  return globalForMetrics.userstreamWebMetrics;
}

const REGISTRATION_PROCEDURE = "registration.submit";
const REFUSAL_BY_CODE: Readonly<Record<string, RegistrationRefusal>> = {
  BAD_REQUEST: "400",
  TOO_MANY_REQUESTS: "429",
  SERVICE_UNAVAILABLE: "503",
};

/** Counts a failed call of `registration.submit` (tRPC or REST) by the status its error code answers. */
export function countRegistrationError(path: string | undefined, code: string): void {
  const reason = REFUSAL_BY_CODE[code];
  if (path === REGISTRATION_PROCEDURE && reason) getWebMetrics().registrationsRefused.inc({ reason });
}

/** Whether a request submits a registration: `POST /api/v1/registrations`, or a tRPC call (or batch) of `registration.submit`. */
export function isRegistrationRequest(req: Request): boolean {
  if (req.method !== "POST") return false;
  const { pathname } = new URL(req.url);
  if (pathname === "/api/v1/registrations") return true;
  const procedures = pathname.startsWith("/api/trpc/") ? pathname.slice("/api/trpc/".length).split(",") : [];
  return procedures.includes(REGISTRATION_PROCEDURE);
}
