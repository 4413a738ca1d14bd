/** Label is one name/value pair of a series. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** Labels is a label set sorted by name, without duplicate names and without empty values. */
export type Labels = readonly Label[];

/** METRIC_NAME is the reserved label that carries the metric name. */
export const METRIC_NAME = '__name__';

/** compareStrings orders strings by UTF-16 code units, which matches Go's byte order for BMP text. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labelsFromRecord builds a sorted label set from an object, dropping empty values. */
export function labelsFromRecord(rec: Readonly<Record<string, string>>): Labels {
  const out: Label[] = [];
  for (const name of Object.keys(rec)) {
    const value = rec[name]!;
    if (value !== '') out.push({ name, value });
  }
  return out.sort((a, b) => compareStrings(a.name, b.name));
}

/** labelsFromList sorts name/value pairs into a label set, dropping empty values; the last duplicate wins. */
export function labelsFromList(list: readonly Label[]): Labels {
  const sorted = list.filter((l) => l.value !== '').sort((a, b) => compareStrings(a.name, b.name));
  const out: Label[] = [];
  for (const l of sorted) {
    if (out.length > 0 && out[out.length - 1]!.name === l.name) out[out.length - 1] = l;
    else out.push(l);
  }
  return out;
}

/** getLabel returns the value of a label, or '' when the set does not have it. */
export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return '';
}

/** compareLabels orders label sets as Prometheus's labels.Compare does. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name) return compareStrings(x.name, y.name);
    if (x.value !== y.value) return compareStrings(x.value, y.value);
  }
  return a.length - b.length;
}

/** labelsEqual reports whether two label sets are identical. */
export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.name !== b[i]!.name || a[i]!.value !== b[i]!.value) return false;
  }
  return true;
}

/** labelsKey returns a string that identifies the label set, for use as a map key. */
export function labelsKey(labels: Labels): string {
  let s = '';
  for (const l of labels) s += l.name + '\xff' + l.value + '\xff';
  return s;
}

/** labelsToString prints a label set as Prometheus does: name{a="b", c="d"}. */
export function labelsToString(labels: Labels): string {
  let name = '';
  const parts: string[] = [];
  for (const l of labels) {
    if (l.name === METRIC_NAME) name = l.value;
    else parts.push(`${l.name}=${JSON.stringify(l.value)}`);
  }
  if (parts.length === 0 && name !== '') return name;
  return `${name}{${parts.join(', ')}}`;
}
