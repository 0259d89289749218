import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCsvFormatter, neutraliseCell } from "./csv";

function roundTrip(values: string[]): string[] {
  const csv = createCsvFormatter(values.map((_, i) => `c${i}`));
  const rows = parse(csv.header() + csv.rows([values]), { relax_quotes: false }) as string[][];
  expect(rows).toHaveLength(2);
  return rows[1] ?? [];
}

const restore = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

describe("CSV cells", () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ["@SUM(1)", "'@SUM(1)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["\tTab", "'\tTab"],
    ["\rReturn", "'\rReturn"],
    ["'quoted", "''quoted"],
    ["Ada", "Ada"],
  ])("neutralises %j", (value, expected) => {
    expect(neutraliseCell(value)).toBe(expected);
    expect(roundTrip([value])).toEqual([expected]);
  });

  it("round-trips any text, and no cell can start a formula", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 4 }), (values) => {
        const cells = roundTrip(values);
        expect(cells.map(restore)).toEqual(values);
        for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps names of any script intact", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (name) => {
        expect(restore(roundTrip([name])[0] ?? "")).toBe(name);
      }),
    );
  });
});
