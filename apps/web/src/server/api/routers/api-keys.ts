import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ApiKeySchema, CreateApiKeyInputSchema, createApiKey, listApiKeys, revokeApiKey } from "../../api-key-service";
import { logAction } from "../../audit-log";
import { adminProcedure, orNotFound } from "../trpc";

/** API keys for other services, managed by admins (tRPC only). */
export const apiKeysRouter = {
  list: adminProcedure.output(z.array(ApiKeySchema)).query(({ ctx }) => listApiKeys(ctx)),

  /** The answer holds the key itself, once; only its hash is kept. */
  create: adminProcedure
    .input(CreateApiKeyInputSchema)
    .output(z.object({ apiKey: ApiKeySchema, secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(input, ctx.adminSession.email, ctx);
      const { id, name, scopes, expiresAt } = created.apiKey;
      logAction(ctx, "api key created", {
        apiKeyId: id,
        apiKey: name,
        scopes: scopes.join(","),
        expiresAt: expiresAt ?? "never",
        admin: ctx.adminSession.email,
      });
      return created;
    }),

  revoke: adminProcedure
    .input(z.object({ id: z.uuid("API key id must be a UUID") }))
    .output(ApiKeySchema)
    .mutation(async ({ ctx, input }) => {
      const apiKey = orNotFound(await revokeApiKey(input.id, ctx), "No such API key.");
      logAction(ctx, "api key revoked", { apiKeyId: apiKey.id, apiKey: apiKey.name, admin: ctx.adminSession.email });
      return apiKey;
    }),
} satisfies TRPCRouterRecord;
