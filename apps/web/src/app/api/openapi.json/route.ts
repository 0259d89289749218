import { env } from "~/env";
import { createOpenApiDocument } from "~/server/api/openapi";

// Built at request time from APP_URL, which is only known at run time, not at `next build`.
export const dynamic = "force-dynamic";

let cached: ReturnType<typeof createOpenApiDocument> | undefined;

export function GET() {
  cached ??= createOpenApiDocument(env.APP_URL);
  return Response.json(cached);
}
