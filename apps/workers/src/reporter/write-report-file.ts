import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface WrittenFile {
  byteSize: number;
  sha256: string;
}

/** The hidden name a report is written under until it is complete. */
export function partialFileName(reportId: string): string {
  return `.report-${reportId}.partial`;
}

// PostgreSQL sends a COPY row by row; hashing and writing 64 KiB at a time instead of each row
// saves a hundred thousand calls per hundred thousand rows.
const WRITE_SIZE = 64 * 1024;

/**
 * Streams CSV bytes into `dir/fileName`, hashing and counting them on the way in blocks of 64 KiB. It writes to a
 * hidden temporary file and renames it only when complete, so a half-written report is never
 * listed or downloaded; the stream's backpressure keeps memory flat however many rows come.
 */
export async function writeReportFile(options: {
  dir: string;
  fileName: string;
  reportId: string;
  source: Readable;
}): Promise<WrittenFile> {
  const temporary = path.join(options.dir, partialFileName(options.reportId));
  const hash = createHash("sha256");
  let byteSize = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const takePending = () => {
    const block = Buffer.concat(pending, pendingSize);
    hash.update(block);
    byteSize += block.length;
    pending = [];
    pendingSize = 0;
    return block;
  };
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      pendingSize += chunk.length;
      done(null, pendingSize >= WRITE_SIZE ? takePending() : undefined);
    },
    flush(done) {
      done(null, pendingSize > 0 ? takePending() : undefined);
    },
  });
  try {
    await pipeline(options.source, measure, createWriteStream(temporary));
    await rename(temporary, path.join(options.dir, options.fileName));
    return { byteSize, sha256: hash.digest("hex") };
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}
