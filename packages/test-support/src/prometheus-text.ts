/** One sample of a Prometheus text exposition: `name{label="value",…} 12`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseSamples(text: string): Sample[] {
  return text.split("\n").flatMap((line) => {
    const match = SAMPLE_LINE.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(LABEL)].map(([, key, value]) => [key, value]));
    return [{ name: match[1] ?? "", labels, value: Number(match[3]) }];
  });
}

/**
 * The sum of the samples named `name` whose labels include `labels` (all of them when none are
 * given), from a `/metrics` answer; undefined when there is no such sample, so a metric that is
 * missing never reads as 0.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = parseSamples(text).filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return matching.length === 0 ? undefined : matching.reduce((sum, sample) => sum + sample.value, 0);
}

const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/;

/**
 * The value of one sample, named as exposed (e.g. `sender_emails_total{result="failed",provider="smtp"}`).
 * A sample that is not there is an error, not a 0: the workers export every label value from the
 * start, so a missing one means a wrong name, and a check against it would pass without measuring
 * anything.
 */
export function metricSample(text: string, sample: string): number {
  const match = SELECTOR.exec(sample);
  if (!match) throw new Error(`not a metric sample: ${sample}`);
  const labels = Object.fromEntries([...(match[2] ?? "").matchAll(LABEL)].map(([, key, value]) => [key, value]));
  const value = sampleValue(text, match[1] ?? "", labels);
  if (value === undefined) throw new Error(`metric sample ${sample} not found in /metrics`);
  return value;
}
