import { describe, expect, it } from 'vitest';
import { buildLabelName, buildMetricName, buildUnit, MetricNameError, type NamerType, type TranslationStrategy } from './naming.js';

describe('buildMetricName (Prometheus otlptranslator expectations)', () => {
  const f = (name: string, unit: string, type: NamerType, strategy: TranslationStrategy, want: string) =>
    it(`${strategy}: ${JSON.stringify(name)} ${JSON.stringify(unit)} ${type} -> ${want}`, () => expect(buildMetricName(name, unit, type, strategy)).toBe(want));
  const S = 'UnderscoreEscapingWithSuffixes';
  f('requests', '', 'monotonicCounter', S, 'requests_total');
  f('cpu_usage', '1', 'gauge', S, 'cpu_usage_ratio');
  f('items', '1', 'monotonicCounter', S, 'items_total');
  f('response_time', 'ms', 'gauge', S, 'response_time_milliseconds');
  f('memory_usage', 'By', 'gauge', S, 'memory_usage_bytes');
  f('requests', '1/s', 'gauge', S, 'requests_per_second');
  f('throughput', 'By/s', 'gauge', S, 'throughput_bytes_per_second');
  f('custom_metric', 'custom_unit', 'gauge', S, 'custom_metric_custom_unit');
  f('custom_metric', '{requests}', 'gauge', S, 'custom_metric');
  f('http.server.request.duration', 's', 'histogram', S, 'http_server_request_duration_seconds');
  f('http.server.requests', '{request}', 'monotonicCounter', S, 'http_server_requests_total');
  f('system.network.io', 'By', 'monotonicCounter', S, 'system_network_io_bytes_total');
  f('metric@with#special$chars', '', 'gauge', S, 'metric_with_special_chars');
  f('123metric', '', 'gauge', S, '_123metric');
  f('requests_total', '', 'monotonicCounter', S, 'requests_total');
  f('up.down', '', 'nonMonotonicCounter', S, 'up_down');
  f('metric@with#special$chars', '', 'gauge', 'UnderscoreEscapingWithoutSuffixes', 'metric_with_special_chars');
  f('http.server.requests', 'ms', 'monotonicCounter', 'UnderscoreEscapingWithoutSuffixes', 'http_server_requests');
  f('a__b', '', 'gauge', 'UnderscoreEscapingWithoutSuffixes', 'a__b');
  f('http.server.requests', 'ms', 'monotonicCounter', 'NoUTF8EscapingWithSuffixes', 'http.server.requests_milliseconds_total');
  f('foo_bytes', 'By', 'gauge', 'NoUTF8EscapingWithSuffixes', 'foo_bytes');
  f('rate', '1', 'gauge', 'NoUTF8EscapingWithSuffixes', 'rate_ratio');
  f('http.server.requests', 'ms', 'monotonicCounter', 'NoTranslation', 'http.server.requests');

  it('refuses names that normalise to nothing', () => {
    expect(() => buildMetricName('', '', 'gauge', S)).toThrow(MetricNameError);
    expect(() => buildMetricName('@#$%', '', 'gauge', S)).toThrow(/empty name/);
    expect(() => buildMetricName('@_#_$_%', '', 'gauge', 'UnderscoreEscapingWithoutSuffixes')).toThrow(/resulted in invalid name "_+"/);
  });
});

describe('buildLabelName', () => {
  const dflt = { utf8Allowed: false, underscoreSanitization: true, preserveMultipleUnderscores: true };
  const f = (label: string, want: string, o = dflt) => it(`${JSON.stringify(label)} -> ${want}`, () => expect(buildLabelName(label, o)).toBe(want));
  f('service.name', 'service_name');
  f('http.response.status_code', 'http_response_status_code');
  f('2xx', 'key_2xx');
  f('_private', 'key_private');
  f('__reserved__', '__reserved__');
  f('a..b', 'a__b');
  f('a..b', 'a_b', { ...dflt, preserveMultipleUnderscores: false });
  f('_private', '_private', { ...dflt, underscoreSanitization: false });
  f('k8s.pod.name', 'k8s.pod.name', { ...dflt, utf8Allowed: true });
  it('refuses empty and underscore-only names', () => {
    expect(() => buildLabelName('', dflt)).toThrow(/empty/);
    expect(() => buildLabelName('...', { ...dflt, underscoreSanitization: false })).toThrow(/invalid name/);
  });
});

describe('buildUnit', () => {
  it('translates UCUM units as the metadata unit', () => {
    expect(buildUnit('By/s')).toBe('bytes_per_second');
    expect(buildUnit('ms')).toBe('milliseconds');
    expect(buildUnit('1')).toBe('');
    expect(buildUnit('{request}')).toBe('');
    expect(buildUnit('1/s')).toBe('per_second');
  });
});
