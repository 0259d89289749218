import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { createCsvFormatter, type Cell } from "./csv";

export interface WrittenReport {
  rowCount: number;
  byteSize: number;
  sha256: string;
}

/** The hidden name a report is written under until it is complete. */
export function partialFileName(reportId: string): string {
  return `.report-${reportId}.partial`;
}

/**
 * Streams batches of rows into `dir/fileName` as UTF-8 CSV with a header row. It writes to a
 * hidden temporary file and renames it only when complete, so a half-written report is never
 * listed or downloaded; waits for `drain`, so memory stays flat however many rows come.
 */
export async function writeReportFile(options: {
  dir: string;
  fileName: string;
  reportId: string;
  header: readonly string[];
  batches: AsyncIterable<Cell[][]>;
}): Promise<WrittenReport> {
  const temporary = path.join(options.dir, partialFileName(options.reportId));
  const out = createWriteStream(temporary, { flags: "w" });
  const hash = createHash("sha256");
  const csv = createCsvFormatter([...options.header]);
  let rowCount = 0;
  let byteSize = 0;
  const write = async (text: string) => {
    const chunk = Buffer.from(text, "utf8");
    hash.update(chunk);
    byteSize += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  };
  try {
    await write(csv.header());
    for await (const rows of options.batches) {
      await write(csv.rows(rows));
      rowCount += rows.length;
    }
    out.end();
    await once(out, "finish");
    await rename(temporary, path.join(options.dir, options.fileName));
    return { rowCount, byteSize, sha256: hash.digest("hex") };
  } catch (err) {
    out.destroy();
    await rm(temporary, { force: true });
    throw err;
  }
}
