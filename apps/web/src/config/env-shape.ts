import { DEFAULT_SEND_AGAIN_LIMITS, DEFAULT_SUPPRESS_AFTER_SOFT_BOUNCES, RetryDelaysMsSchema } from "@userstream/contracts";
import {
  confirmationTokenSecretSchema,
  portSchema,
  reportsDirSchema,
  SECRETS,
  secretSchema,
  serviceEnv,
} from "@userstream/runtime/env";
import { brokerUrlsSchema } from "@userstream/messaging/broker-urls";
import { z } from "zod";
import { parsePasswordHash } from "./password-hash";
import { parseTrustedProxies } from "./ip-addresses";

/** Not a secret: the development admin's email, also in .env.example. */
const DEVELOPMENT_ADMIN_EMAIL = "admin@userstream.local";

const adminEmail = z
  .string({ error: "required in production: the admin's email" })
  .trim()
  .toLowerCase()
  .pipe(z.email("must be an email address"));
const adminPasswordHash = z
  .string({ error: `required: make one with ${SECRETS.ADMIN_PASSWORD_HASH.generate}` })
  .refine((value) => parsePasswordHash(value) !== null, `must be a hash printed by ${SECRETS.ADMIN_PASSWORD_HASH.generate}`);

/** Requests per client address per minute, or `off`. */
function rateLimit(perMinute: number) {
  return z
    .union([z.literal("off"), z.coerce.number().int().min(1, "must be a positive number or off").max(1_000_000)])
    .default(perMinute);
}

/**
 * Every variable the web (and the REST API on its own) reads, as a zod shape: `env.ts` validates
 * the environment against it; the deployment checks (tooling/deploy) hold the manifests to it. In
 * production the admin's email has no default.
 */
export function webEnvShape(isProduction: boolean) {
  return {
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "required: a postgresql:// URL" }),
    /** One broker, or a cluster's nodes separated by commas (tried in order, then failed over). */
    AMQP_URL: brokerUrlsSchema,
    APP_URL: z.url({ error: "must be a URL such as http://localhost:3000" }).default("http://localhost:3000"),
    CONFIRMATION_TOKEN_SECRET: confirmationTokenSecretSchema,
    ADMIN_EMAIL: isProduction ? adminEmail : adminEmail.default(DEVELOPMENT_ADMIN_EMAIL),
    ADMIN_PASSWORD_HASH: adminPasswordHash,
    SESSION_SECRET: secretSchema("SESSION_SECRET", "it signs admin sessions"),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 7, "must be at most a week (168 hours)")
      .default(8),
    /** An admin session not used for this long ends (checked to the minute). */
    SESSION_IDLE_MINUTES: z.coerce
      .number({ error: "must be a number of minutes, such as 30" })
      .int("must be a whole number of minutes")
      .min(2, "must be at least 2 minutes (use is recorded once a minute)")
      .max(24 * 60, "must be at most a day (1440 minutes)")
      .default(30),
    /** Failed sign-ins within SIGN_IN_WINDOW_MINUTES that lock one email typed (known or not) from one client address... */
    SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** ...and that lock a client address, whatever emails it tries. */
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
    /**
     * An email is never locked for everyone; after SIGN_IN_SLOWDOWN_AFTER failures of it within the
     * window (from anywhere), each attempt for it waits SIGN_IN_SLOWDOWN_STEP_MS more per failure,
     * at most SIGN_IN_SLOWDOWN_MAX_MS, before the password is checked.
     */
    SIGN_IN_SLOWDOWN_AFTER: z.coerce.number().int().min(1).max(10_000).default(5),
    SIGN_IN_SLOWDOWN_STEP_MS: z.coerce.number().int().min(0).max(10_000).default(500),
    SIGN_IN_SLOWDOWN_MAX_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30_000, "must be at most 30000 (30 seconds): a sign-in must not be held longer")
      .default(5000),
    SIGN_IN_WINDOW_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
    SIGN_IN_LOCKOUT_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
    /**
     * Registrations accepted per client address per minute (tRPC and REST together), counted in
     * PostgreSQL across every web and API server replica; `off` for none (e.g. a load test from one machine).
     */
    REGISTRATION_RATE_LIMIT: rateLimit(20),
    /**
     * "Send the email again" (the registrant's, and the admin's resend): at most one per address and
     * per client address within this many minutes, counted in PostgreSQL (every instance together).
     */
    SEND_AGAIN_COOLDOWN_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(DEFAULT_SEND_AGAIN_LIMITS.cooldownMinutes),
    /** ...and at most this many per address and per client address within 24 hours. */
    SEND_AGAIN_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(DEFAULT_SEND_AGAIN_LIMITS.dailyLimit),
    /**
     * Requests each API key may make per minute (REST and tRPC together), counted by each web
     * instance on its own; `off` for none. Over it: 429 with Retry-After.
     */
    API_KEY_RATE_LIMIT: rateLimit(600),
    /**
     * The reverse proxies in front of the web and the API server (addresses or CIDR ranges, comma
     * separated): only a connection from one of them has its X-Forwarded-For read. Empty (the
     * default): the header is ignored and the connection's own address is the client's, so a
     * made-up X-Forwarded-For cannot dodge the limits.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((list, ctx) => {
        try {
          return parseTrustedProxies(list);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** Replaced by TRUSTED_PROXIES: refused, so that an old configuration does not silently change meaning. */
    TRUSTED_PROXY_HOPS: z.undefined({
      error:
        "is no longer read: list the reverse proxies' addresses or ranges in TRUSTED_PROXIES instead (e.g. TRUSTED_PROXIES=10.0.0.0/8), and unset TRUSTED_PROXY_HOPS",
    }),
    REPORTS_DIR: reportsDirSchema,
    /**
     * RabbitMQ's management API, for queue rates on /admin/pipeline; unset → AMQP counts only. Its
     * user and password are variables of their own (the password a secret, or a file): a URL is
     * logged and shown too readily to carry them.
     */
    RABBITMQ_MANAGEMENT_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s):// URL" })
      .refine(
        (url) => !new URL(url).username && !new URL(url).password,
        "must not hold credentials: set RABBITMQ_MANAGEMENT_USER and RABBITMQ_MANAGEMENT_PASSWORD (or RABBITMQ_MANAGEMENT_PASSWORD_FILE) instead",
      )
      .optional(),
    RABBITMQ_MANAGEMENT_USER: z.string().optional(),
    RABBITMQ_MANAGEMENT_PASSWORD: z.string().optional(),
    /** The management UI as an admin's browser reaches it; default: the broker's host on port 15672. */
    RABBITMQ_MANAGEMENT_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
    /** Each worker's HTTP port, whose /readyz the pipeline view shows. */
    RECEIVER_URL: z.url().default("http://127.0.0.1:8081"),
    SENDER_URL: z.url().default("http://127.0.0.1:8082"),
    REPORTER_URL: z.url().default("http://127.0.0.1:8084"),
    /** The workers' retry delays (the same variable): the queues the web declares and the pipeline view lists. */
    RETRY_DELAYS_MS: RetryDelaysMsSchema,
    PUBLISH_CONFIRM_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5000),
    /**
     * Longest any one statement of the web's database sessions may run before PostgreSQL cancels it
     * (`statement_timeout`, sent when each connection opens), so that no request can hold a
     * connection for long. Migrations and the workers connect on their own and are not limited by
     * it. `off` sends none: behind a transaction pooler (PgBouncer refuses the startup parameter),
     * where the timeout is set on the database role instead (docs/operations.md).
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z
      .union([
        z.literal("off"),
        z.coerce
          .number({ error: "must be a number of milliseconds or off" })
          .int()
          .min(100, "must be at least 100 (ms)")
          .max(600_000, "must be at most 600000 (10 minutes)"),
      ])
      .default(5000),
    /**
     * Pages of the public users directory (`users.list`) per client address per minute, counted in
     * PostgreSQL across every web and API server replica; `off` for none.
     */
    USERS_LIST_RATE_LIMIT: rateLimit(60),
    /**
     * Downloads and erasures through "manage my registration" per client address per minute,
     * counted by each web instance on its own (like the registration limit); `off` for none.
     */
    DATA_RIGHTS_RATE_LIMIT: rateLimit(10),
    /**
     * The signing secret of the Resend webhook pointed at `/api/webhooks/resend` (`whsec_…`, shown on
     * the webhook's page at resend.com); unset, that route answers 503 and records nothing.
     */
    RESEND_WEBHOOK_SECRET: z
      .string()
      .regex(
        /^whsec_[A-Za-z0-9+/]{24,}={0,2}$/,
        `must be the webhook's signing secret: whsec_ and base64; ${SECRETS.RESEND_WEBHOOK_SECRET.generate}`,
      )
      .optional(),
    /** Soft bounces (Resend `email.bounced` that is not `Permanent`) that suppress an address; `off` for never. */
    SUPPRESS_AFTER_SOFT_BOUNCES: z
      .union([z.literal("off"), z.coerce.number().int().min(1, "must be a positive number or off").max(1000)])
      .default(DEFAULT_SUPPRESS_AFTER_SOFT_BOUNCES),
    /** true only for tests and local development: webhook endpoints at private, loopback and link-local addresses. */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
    ...serviceEnv,
    /** Where the REST API listens when it runs on its own (`start:api`); 0 picks a free port. */
    API_PORT: portSchema(8083),
    API_HOST: z.string().default("0.0.0.0"),
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Set: Next.js leaves SIGTERM/SIGINT to the web's own shutdown, which then exits 0 (server/shutdown.ts). */
    NEXT_MANUAL_SIG_HANDLE: z
      .string()
      .optional()
      .transform((value) => Boolean(value)),
  };
}
