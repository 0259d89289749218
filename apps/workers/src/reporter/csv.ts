import { createArrayCsvStringifier } from "csv-writer";

// A spreadsheet treats a cell that starts with one of these as a formula (OWASP CSV injection).
const FORMULA_START = /^[=+\-@\t\r']/;

/**
 * Neutralises a cell a spreadsheet would run as a formula by prefixing a single quote. Cells that
 * already start with a quote get one too, so that dropping exactly one leading quote always gives
 * the original value back.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type Cell = string | number | boolean | Date | null;

function cellText(value: Cell): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  return typeof value === "string" ? neutraliseCell(value) : String(value);
}

/**
 * CSV text for a header and batches of rows, via csv-writer's stringifier. Every cell is quoted
 * (quotes doubled), so line breaks or a carriage return inside a value never split a row.
 */
export function createCsvFormatter(header: string[]) {
  const stringifier = createArrayCsvStringifier({ header, alwaysQuote: true });
  return {
    header: () => stringifier.getHeaderString() ?? "",
    rows: (rows: Cell[][]) => stringifier.stringifyRecords(rows.map((row) => row.map(cellText))),
  };
}
