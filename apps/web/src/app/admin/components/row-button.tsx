/**
 * A button in a table row: the same `label` on every row ("Delete"), with `name` saying which row
 * for screen readers.
 */
export function RowButton({
  label,
  name,
  danger = false,
  onClick,
}: {
  label: string;
  name: string;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className={danger ? "link-button danger" : "link-button"} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}
