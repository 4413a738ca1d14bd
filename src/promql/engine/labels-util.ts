import { METRIC_NAME, type Label, type Labels } from '../../model/labels.js';
import { goQuote } from '../parser/strings.js';

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** isValidLabelName checks a label name as Prometheus 3 does: non-empty, valid UTF-8 (raw invalid bytes from \xNN escapes are not). */
export function isValidLabelName(name: string): boolean {
  if (name === '') return false;
  if (LEGACY_NAME.test(name)) return true;
  return isWellFormedUTF16(name);
}

/** isWellFormedUTF16 reports whether a string has no lone surrogates (raw-byte markers of the parser are lone surrogates). */
function isWellFormedUTF16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** goQuote renders a string as Go's %q does (raw invalid bytes as \xNN). */
export { goQuote };

/** labelsGoString prints labels as Go's labels.Labels.String(): `{a="b", c="d"}`. */
export function labelsGoString(ls: Labels): string {
  return '{' + ls.map((l) => `${LEGACY_NAME.test(l.name) ? l.name : goQuote(l.name)}=${goQuote(l.value)}`).join(', ') + '}';
}

/** isMetadataLabel reports whether a label is dropped together with the metric name: __name__, __type__, __unit__. */
export function isMetadataLabel(name: string): boolean {
  return name === METRIC_NAME || name === '__type__' || name === '__unit__';
}

/** dropMetricName returns labels without __name__ and the metadata labels __type__ and __unit__. */
export function dropMetricName(ls: Labels): Labels {
  for (const l of ls) if (isMetadataLabel(l.name)) return ls.filter((x) => !isMetadataLabel(x.name));
  return ls;
}

/** keepLabels keeps only the named labels. */
export function keepLabels(ls: Labels, names: ReadonlySet<string>): Labels {
  return ls.filter((l) => names.has(l.name));
}

/** withoutLabels removes the named labels. */
export function withoutLabels(ls: Labels, names: ReadonlySet<string>): Labels {
  return ls.filter((l) => !names.has(l.name));
}

/** setLabel returns labels with name set to value (removed when value is empty), kept sorted. */
export function setLabel(ls: Labels, name: string, value: string): Labels {
  const out: Label[] = [];
  let done = false;
  for (const l of ls) {
    if (!done && l.name >= name) {
      done = true;
      if (value !== '') out.push({ name, value });
      if (l.name === name) continue;
    }
    out.push(l);
  }
  if (!done && value !== '') out.push({ name, value });
  return out;
}

/** signatureKey returns a map key for the labels selected by on(...)/ignoring(...) (ignoring also drops __name__). */
export function signatureKey(ls: Labels, on: boolean, names: ReadonlySet<string>): string {
  let s = '';
  for (const l of ls) {
    const listed = names.has(l.name);
    if (on ? listed : !listed && l.name !== METRIC_NAME) s += l.name + '\u0000' + l.value + '\u0001';
  }
  return s;
}
