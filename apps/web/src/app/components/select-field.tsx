/**
 * A labelled drop-down of `options` (value → text, in their order), after an `any` option with
 * the empty value when given. Every other attribute goes to the `<select>`.
 */
export function SelectField({
  id,
  label,
  options,
  any,
  ...select
}: {
  id: string;
  label: string;
  options: Readonly<Record<string, string>>;
  any?: string;
} & React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {any === undefined ? null : <option value="">{any}</option>}
        {Object.entries(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
