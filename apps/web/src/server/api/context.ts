import "server-only";
import { getDb } from "../db";
import { getPublisher } from "../publisher";
import type { TRPCContext } from "./trpc";

/** The app's context for one request: the shared, lazily connected db client and publisher. */
export function createTRPCContext(opts: { headers: Headers }): TRPCContext {
  return { headers: opts.headers, db: getDb(), publisher: getPublisher() };
}
