/**
 * Most procedure calls one tRPC request may carry. Each call is its own query, so an unbounded
 * batch would let one anonymous request run hundreds of them; the server answers a larger batch
 * with 400 before running any, and the browser's link splits its batches at this size.
 */
export const TRPC_MAX_BATCH_SIZE = 10;
