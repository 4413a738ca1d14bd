import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { defaultHAConfig, haSettingsFor, HAConfigSchema } from './config.js';

describe('ha config', () => {
  it('defaults to AMP labels and Mimir timeouts', () => {
    expect(defaultHAConfig()).toEqual({ enabled: true, clusterLabel: 'cluster', replicaLabel: '__replica__', failoverTimeout: 30_000, updateTimeout: 15_000, maxClusters: 500, workspaces: {} });
  });

  it('takes durations as ms or Prometheus durations, and per-workspace overrides', () => {
    const c = HAConfigSchema.parse({ failoverTimeout: '1m30s', updateTimeout: 2000, workspaces: { 'ws-1': { replicaLabel: 'prom', enabled: false } } });
    expect(c.failoverTimeout).toBe(90_000);
    expect(haSettingsFor(c, 'ws-1')).toEqual({ enabled: false, clusterLabel: 'cluster', replicaLabel: 'prom', maxClusters: 500 });
    expect(haSettingsFor(c, 'ws-2')).toEqual({ enabled: true, clusterLabel: 'cluster', replicaLabel: '__replica__', maxClusters: 500 });
  });

  it('refuses bad settings with the key named', () => {
    const bad = (ha: unknown) => () => loadConfig({ flags: { ha: ha as never } });
    expect(bad({ failoverTimeout: '10s', updateTimeout: '15s' })).toThrow(/ha.failoverTimeout: failoverTimeout must be greater than updateTimeout/);
    expect(bad({ failoverTimeout: '3x' })).toThrow(/ha.failoverTimeout: unknown unit "x"/);
    expect(bad({ replicaLabel: 'cluster' })).toThrow(/ha.replicaLabel: clusterLabel and replicaLabel must differ/);
    expect(bad({ clusterLabel: 'a-b' })).toThrow(/ha.clusterLabel: must be a Prometheus label name/);
    expect(bad({ replicas: 2 })).toThrow(/ha: Unrecognized key/);
  });
});
