// Filters a `prisma migrate diff --script` output on stdin (src/schema-diff.ts says why).
import { text } from "node:stream/consumers";
import { withoutUnreadableIndexes } from "../src/schema-diff";

process.stdout.write(`${withoutUnreadableIndexes(await text(process.stdin))}\n`);
