/** One sample of a scrape: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// As Prometheus parses values (Go's ParseFloat): NaN and Inf in any case; prom-client writes "Nan" for an empty gauge.
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[Ii][Nn][Ff]|[Nn][Aa][Nn])';
const SAMPLE = new RegExp(
  `^(${METRIC_NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: (-?\\d+))?$`,
);
const LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');
const HELP = new RegExp(`^# HELP (${METRIC_NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is
 * blank, a comment (# HELP / # TYPE / other), or a sample whose family was TYPEd
 * before it with a suffix that fits the type. Anything else throws, naming the line.
 */
export function parsePrometheusText(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1} (${JSON.stringify(line)})`;
      if (line === '') return;
      if (line.startsWith('#')) {
        const type = TYPE.exec(line);
        if (type) {
          if (types.has(type[1])) throw new Error(`${where}: a second TYPE for ${type[1]}`);
          types.set(type[1], type[2]);
          return;
        }
        if (line.startsWith('# HELP ') && !HELP.test(line)) throw new Error(`${where}: a malformed HELP line`);
        if (line.startsWith('# TYPE ')) throw new Error(`${where}: a malformed TYPE line`);
        return;
      }
      const match = SAMPLE.exec(line);
      if (!match) throw new Error(`${where}: neither blank, a comment nor "name{labels} value"`);
      const [, name, labelText, valueText] = match;
      const family = [...types.keys()].find((f) => SUFFIXES[types.get(f)!].some((suffix) => name === f + suffix));
      if (!family) throw new Error(`${where}: ${name} has no TYPE line before it`);
      const labels: Record<string, string> = {};
      for (const [, key, quoted] of (labelText ?? '').matchAll(LABEL)) {
        if (key in labels) throw new Error(`${where}: label ${key} twice`);
        labels[key] = quoted.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      const identity = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(identity)) throw new Error(`${where}: the same series twice`);
      seen.add(identity);
      const special = valueText.toLowerCase();
      const value =
        special === 'nan' ? NaN : special.endsWith('inf') ? (special.startsWith('-') ? -Infinity : Infinity) : Number(valueText);
      samples.push({ name, labels, value });
    });
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none (a counter not yet moved). */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}
