/** A column: its heading (a plain text, or a node with a key) and the class of its heading cell. */
export type Column = string | { key: string; label: React.ReactNode; className?: string };

/**
 * A table of rows (`children`, the `<tr>`s) under its column headings, scrolling sideways on a
 * narrow screen. It is named for assistive technology by `caption` (not shown) or by the heading
 * `labelledBy` points at.
 */
export function DataTable({
  columns,
  caption,
  labelledBy,
  children,
}: {
  columns: readonly (Column | null | false)[];
  caption?: string;
  labelledBy?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table aria-labelledby={labelledBy}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) =>
              !column ? null : typeof column === "string" ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.key} scope="col" className={column.className}>
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
