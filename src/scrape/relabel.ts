import { createHash } from 'node:crypto';
import { compileRE2, RE2SyntaxError, type RE2Regex, type Submatches } from '../model/re2.js';
import type { RelabelConfig } from './config.js';

/** RelabelAction is a relabel_config action. */
export type RelabelAction = NonNullable<RelabelConfig['action']>;

/** RelabelConfigError says why a relabel_config is invalid, with Prometheus's message. */
export class RelabelConfigError extends Error {
  override name = 'RelabelConfigError';
}

/** CompiledRelabel is a validated relabel_config with its regex compiled (RE2, anchored). */
export interface CompiledRelabel {
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RE2Regex;
  readonly regexSource: string;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly modulus: number;
}

const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DEFAULTS = { separator: ';', regex: '(.*)', replacement: '$1' };

/** compileRelabel validates a relabel_config as Prometheus 2.42 does and compiles its regex; throws RelabelConfigError. */
export function compileRelabel(c: RelabelConfig): CompiledRelabel {
  const action = c.action ?? 'replace';
  const regexSource = c.regex ?? DEFAULTS.regex;
  let regex: RE2Regex;
  try {
    regex = compileRE2(regexSource);
  } catch (err) {
    if (err instanceof RE2SyntaxError) throw new RelabelConfigError(err.message);
    throw err;
  }
  const r: CompiledRelabel = {
    action,
    sourceLabels: c.source_labels ?? [],
    separator: c.separator ?? DEFAULTS.separator,
    regex,
    regexSource,
    targetLabel: c.target_label ?? '',
    replacement: c.replacement ?? DEFAULTS.replacement,
    modulus: c.modulus ?? 0,
  };
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (action === 'hashmod' && r.modulus === 0) throw new RelabelConfigError('relabel configuration for hashmod requires non-zero modulus');
  if (needsTarget && r.targetLabel === '') throw new RelabelConfigError(`relabel configuration for ${action} action requires 'target_label' value`);
  if (['replace', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && !RELABEL_TARGET.test(r.targetLabel)) throw new RelabelConfigError(`${JSON.stringify(r.targetLabel)} is invalid 'target_label' for ${action} action`);
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && r.replacement !== DEFAULTS.replacement) throw new RelabelConfigError(`'replacement' can not be set for ${action} action`);
  if (action === 'labelmap' && !RELABEL_TARGET.test(r.replacement)) throw new RelabelConfigError(`${JSON.stringify(r.replacement)} is invalid 'replacement' for ${action} action`);
  if (action === 'hashmod' && !LABEL_NAME.test(r.targetLabel)) throw new RelabelConfigError(`${JSON.stringify(r.targetLabel)} is invalid 'target_label' for ${action} action`);
  if ((action === 'dropequal' || action === 'keepequal') && (regexSource !== DEFAULTS.regex || r.modulus !== 0 || r.separator !== DEFAULTS.separator || r.replacement !== DEFAULTS.replacement)) {
    throw new RelabelConfigError(`${action} action requires only 'source_labels' and \`target_label\`, and no other fields`);
  }
  if ((action === 'labeldrop' || action === 'labelkeep') && (c.source_labels !== undefined || r.targetLabel !== '' || r.modulus !== 0 || r.separator !== DEFAULTS.separator || r.replacement !== DEFAULTS.replacement)) {
    throw new RelabelConfigError(`${action} action requires only 'regex', and no other fields`);
  }
  return r;
}

/** expandTemplate expands $1, ${1}, $name, ${name} and $$ in a template from a match, as Go's regexp.Expand. */
export function expandTemplate(template: string, m: Submatches): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (template[i] === '{') {
      const close = template.indexOf('}', i + 1);
      name = close < 0 ? '' : template.slice(i + 1, close);
      if (close < 0 || name === '' || !/^[\p{L}\p{N}_]+$/u.test(name)) {
        out += '$';
        continue;
      }
      i = close + 1;
    } else {
      const mm = /^[\p{L}\p{N}_]+/u.exec(template.slice(i));
      if (!mm) {
        out += '$';
        continue;
      }
      name = mm[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n < m.length) out += m[n] ?? '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out;
}

function hashmod(val: string, modulus: number): string {
  const sum = createHash('md5').update(val, 'utf8').digest();
  return (sum.readBigUInt64BE(8) % BigInt(modulus)).toString();
}

/**
 * relabel applies relabel configs in order to a label set (Prometheus 2.42's relabel.Process); returns the new
 * labels, or null when a keep/drop dropped the target or series. Labels set to '' are removed.
 */
export function relabel(input: Readonly<Record<string, string>>, cfgs: readonly CompiledRelabel[]): Record<string, string> | null {
  let cur: Record<string, string> = { ...input };
  for (const c of cfgs) {
    const val = c.sourceLabels.map((n) => cur[n] ?? '').join(c.separator);
    const next: Record<string, string> = { ...cur };
    const set = (k: string, v: string): void => {
      if (v === '') delete next[k];
      else next[k] = v;
    };
    switch (c.action) {
      case 'drop':
        if (c.regex.test(val)) return null;
        break;
      case 'keep':
        if (!c.regex.test(val)) return null;
        break;
      case 'dropequal':
        if ((cur[c.targetLabel] ?? '') === val) return null;
        break;
      case 'keepequal':
        if ((cur[c.targetLabel] ?? '') !== val) return null;
        break;
      case 'replace': {
        const m = c.regex.exec(val);
        if (!m) break;
        const target = expandTemplate(c.targetLabel, m);
        if (!LABEL_NAME.test(target)) {
          delete next[c.targetLabel];
          break;
        }
        const res = expandTemplate(c.replacement, m);
        if (res === '') delete next[c.targetLabel];
        else set(target, res);
        break;
      }
      case 'lowercase':
        set(c.targetLabel, val.toLowerCase());
        break;
      case 'uppercase':
        set(c.targetLabel, val.toUpperCase());
        break;
      case 'hashmod':
        set(c.targetLabel, hashmod(val, c.modulus));
        break;
      case 'labelmap':
        for (const name of Object.keys(cur).sort()) {
          const m = c.regex.exec(name);
          if (m) set(expandTemplate(c.replacement, m), cur[name]!);
        }
        break;
      case 'labeldrop':
        for (const name of Object.keys(cur)) if (c.regex.test(name)) delete next[name];
        break;
      case 'labelkeep':
        for (const name of Object.keys(cur)) if (!c.regex.test(name)) delete next[name];
        break;
      default: {
        const never: never = c.action;
        throw new Error(`unknown relabel action ${String(never)}`);
      }
    }
    cur = next;
  }
  return cur;
}
