/**
 * The one place that defines the tRPC instance and the kinds of procedure. Routers import
 * `publicProcedure` from here; services never import tRPC.
 */
import { fieldErrors, type FieldErrors } from "@userstream/contracts";
import { TRPCError, initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { PrismaClient } from "@userstream/db";
import type { Logger, Publisher } from "@userstream/messaging";
import type { AdminSession } from "../auth/admin-auth";

/**
 * What every procedure can use. The app builds it in `context.ts` from its singletons; tests
 * build it from a test database and vhost.
 */
export interface TRPCContext {
  headers: Headers;
  db: PrismaClient;
  publisher: Publisher;
  /** The signed-in admin, from the request's session cookie; null when there is none or it is not valid. */
  adminSession: AdminSession | null;
  /** The app's JSON logger (absent in tests that do not look at logs). */
  logger?: Pick<Logger, "info">;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<OpenApiMeta>()
  .create({
    // superjson applies to /api/trpc only; the REST adapter ignores transformers and speaks plain JSON.
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : undefined;
      const data: typeof shape.data & { fieldErrors: FieldErrors | null } = {
        ...shape.data,
        // `{ field: message }`, the shape both the form and the REST API show.
        fieldErrors: zodError ? fieldErrors(zodError) : null,
      };
      // An unexpected error's message may carry internals (SQL, hosts); the server log has it.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side. Please try again." : shape.message;
      return { ...shape, message, data };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone may call it. */
export const publicProcedure = t.procedure;

/**
 * Only a signed-in admin may call it: the check lives here, in the data layer, so no page or
 * client can skip it. Procedures see `ctx.adminSession` as non-null.
 */
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.adminSession) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in as an admin to do this." });
  return next({ ctx: { adminSession: ctx.adminSession } });
});
