/** `POST /api/webhooks/resend` (`server/api/request-handlers.ts`, shared with the API server on its own). */
export { handleResendWebhookRequest as POST } from "~/server/api/request-handlers";

export const dynamic = "force-dynamic";
