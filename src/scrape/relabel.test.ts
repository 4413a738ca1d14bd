import { describe, expect, it } from 'vitest';
import { compileRE2 } from '../model/re2.js';
import { compileRelabel, expandTemplate, relabel } from './relabel.js';
import type { RelabelConfig } from './config.js';

const run = (labels: Record<string, string>, ...cfgs: RelabelConfig[]): Record<string, string> | null => relabel(labels, cfgs.map(compileRelabel));

describe('relabel', () => {
  it('applies every action as Prometheus does (table)', () => {
    const f = (labels: Record<string, string>, cfg: RelabelConfig, want: Record<string, string> | null): void => {
      expect(run(labels, cfg), JSON.stringify(cfg)).toEqual(want);
    };
    f({ a: 'foo' }, { source_labels: ['a'], regex: 'f(.*)', target_label: 'b', replacement: 'x$1' }, { a: 'foo', b: 'xoo' });
    f({ a: 'foo' }, { source_labels: ['a'], regex: 'o', target_label: 'b' }, { a: 'foo' }); // anchored: no match, no change
    f({ a: 'foo', b: 'old' }, { source_labels: ['a'], regex: '(.*)', target_label: 'b', replacement: '' }, { a: 'foo' });
    f({ a: 'foo' }, { source_labels: ['a'], regex: '(f)(o+)', target_label: '${1}_$2', replacement: 'v' }, { a: 'foo', f_oo: 'v' });
    f({ a: 'foo' }, { source_labels: ['a'], target_label: 'b', replacement: '$1x' }, { a: 'foo' }); // $1x names group "1x": empty
    f({ a: 'foo' }, { source_labels: ['a'], target_label: 'b', replacement: '$$1' }, { a: 'foo', b: '$1' });
    f({ a: 'foo', b: 'bar' }, { source_labels: ['a', 'b'], separator: '-', target_label: 'c' }, { a: 'foo', b: 'bar', c: 'foo-bar' });
    f({ a: 'foo' }, { source_labels: ['a'], regex: 'fo+', action: 'drop' }, null);
    f({ a: 'foo' }, { source_labels: ['a'], regex: 'bar', action: 'keep' }, null);
    f({ a: 'x', b: 'x' }, { source_labels: ['a'], target_label: 'b', action: 'keepequal' }, { a: 'x', b: 'x' });
    f({ a: 'x', b: 'x' }, { source_labels: ['a'], target_label: 'b', action: 'dropequal' }, null);
    f({ a: 'MiXed' }, { source_labels: ['a'], target_label: 'l', action: 'lowercase' }, { a: 'MiXed', l: 'mixed' });
    f({ a: 'MiXed' }, { source_labels: ['a'], target_label: 'u', action: 'uppercase' }, { a: 'MiXed', u: 'MIXED' });
    f({ c: 'baz' }, { source_labels: ['c'], target_label: 'd', modulus: 1000, action: 'hashmod' }, { c: 'baz', d: '976' }); // Prometheus's relabel_test.go
    f({ __meta_k_x: '1', __meta_k_y: '2', z: '3' }, { regex: '__meta_k_(.+)', action: 'labelmap' }, { __meta_k_x: '1', __meta_k_y: '2', x: '1', y: '2', z: '3' });
    f({ a: '1', ab: '2', b: '3' }, { regex: 'a.*', action: 'labeldrop' }, { b: '3' });
    f({ a: '1', ab: '2', b: '3' }, { regex: 'a.*', action: 'labelkeep' }, { a: '1', ab: '2' });
  });

  it('refuses invalid configurations with Prometheus\'s messages', () => {
    expect(() => compileRelabel({ action: 'hashmod', target_label: 'x' })).toThrow('relabel configuration for hashmod requires non-zero modulus');
    expect(() => compileRelabel({ action: 'replace' })).toThrow("relabel configuration for replace action requires 'target_label' value");
    expect(() => compileRelabel({ action: 'lowercase', target_label: 'x', replacement: 'y' })).toThrow("'replacement' can not be set for lowercase action");
    expect(() => compileRelabel({ action: 'labeldrop', regex: 'x', target_label: 'y' })).toThrow("labeldrop action requires only 'regex', and no other fields");
    expect(() => compileRelabel({ action: 'keepequal', target_label: 'x', regex: 'y' })).toThrow(/keepequal action requires only/);
    expect(() => compileRelabel({ action: 'replace', target_label: '1bad' })).toThrow(/is invalid 'target_label'/);
    expect(() => compileRelabel({ regex: '(?<=x)y', target_label: 'x' })).toThrow(/error parsing regexp/);
  });

  it('expands templates as Go regexp.Expand', () => {
    const m = compileRE2('(?P<first>a)(b)?').exec('a')!;
    expect(expandTemplate('$first-${2}-$3-$-${x', m)).toBe('a---$-${x');
  });
});
