import { describe, expect, it } from 'vitest';
import { ModuleGraphError, ModuleInitError, ModuleManager, ModuleStopError, type ModuleService } from './modules.js';

type S = ModuleService & { readonly name: string };
type Graph = Record<'db' | 'cache' | 'api' | 'ui' | 'server' | 'all' | 'backend', S | undefined>;

/** graph builds db <- cache <- api, db <- ui, server (optionally after api and ui), targets all and backend, logging every init and stop. */
function graph(log: string[], failing?: string, failingStop?: string): ModuleManager<Graph> {
  const m = new ModuleManager<Graph>();
  const mod = (name: keyof Graph) => () => {
    if (name === failing) throw new Error(`${name} broke`);
    log.push(`init ${name}`);
    return {
      name,
      stop: () => {
        log.push(`stop ${name}`);
        if (name === failingStop) throw new Error(`${name} would not stop`);
      },
    };
  };
  m.register('db', { init: mod('db') });
  m.register('cache', { deps: ['db'], init: mod('cache') });
  m.register('api', { deps: ['cache'], init: mod('api') });
  m.register('ui', { deps: ['db'], init: mod('ui') });
  m.register('server', { deps: ['db'], optionalDeps: ['api', 'ui'], init: mod('server') });
  m.register('all', { deps: ['api', 'ui', 'server'] });
  m.register('backend', { deps: ['ui', 'server'] });
  return m;
}

describe('ModuleManager', () => {
  it('initialises a target in dependency order and stops in reverse', async () => {
    const log: string[] = [];
    const running = await graph(log).start('all');
    expect(running.order).toEqual(['db', 'cache', 'api', 'ui', 'server']);
    expect(running.get('api')?.name).toBe('api');
    await running.stop();
    expect(log).toEqual(['init db', 'init cache', 'init api', 'init ui', 'init server', 'stop server', 'stop ui', 'stop api', 'stop cache', 'stop db']);
  });

  it('runs only the closure of a target; optional dependencies are ordered but not pulled in', async () => {
    const log: string[] = [];
    const running = await graph(log).start('backend');
    expect(running.order).toEqual(['db', 'ui', 'server']);
    expect(running.has('api')).toBe(false);
    expect(() => running.get('api')).toThrow(/does not run module api/);
    await running.stop();
  });

  it('gives an init only the services it declared', async () => {
    const m = new ModuleManager<Graph>();
    m.register('db', { init: () => ({ name: 'db' }) });
    m.register('cache', { init: (d) => ({ name: `cache(${d.get('db')?.name})` }) });
    m.register('all', { deps: ['db', 'cache'] });
    await expect(m.start('all')).rejects.toThrow(/cache failed to start: module cache asked for db, which it does not declare/);
  });

  it('refuses unknown dependencies, duplicates and unknown targets at registration', () => {
    const m = new ModuleManager<Graph>();
    expect(() => m.register('api', { deps: ['db'] })).toThrow(ModuleGraphError);
    expect(() => m.register('api', { deps: ['db'] })).toThrow(/depends on db, which is not registered/);
    m.register('db', {});
    expect(() => m.register('db', {})).toThrow(/registered twice/);
    expect(() => m.register('ui', { deps: ['ui'] })).toThrow(/depends on itself/);
    expect(() => m.closure('all')).toThrow(/unknown target all/);
  });

  it('refuses a dependency that would make a cycle, naming it', () => {
    const m = new ModuleManager<Graph>();
    m.register('db', {});
    m.register('cache', { deps: ['db'] });
    m.register('api', { deps: ['cache'] });
    expect(() => m.addDependency('db', 'api')).toThrow(/db -> api makes a cycle: db -> api -> cache -> db/);
    expect(() => m.addDependency('db', 'ui')).toThrow(/ui, which is not registered/);
    m.register('ui', {});
    m.addDependency('db', 'ui');
    expect(m.closure('api')).toEqual([]);
  });

  it('stops what started when an init fails, and names the module', async () => {
    const log: string[] = [];
    const err = await graph(log, 'ui')
      .start('all')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleInitError);
    expect((err as ModuleInitError).module).toBe('ui');
    expect((err as Error).message).toBe('module ui failed to start: ui broke');
    expect(log).toEqual(['init db', 'init cache', 'init api', 'stop api', 'stop cache', 'stop db']);
  });

  it('stops every module even when one fails to stop, then reports it', async () => {
    const log: string[] = [];
    const running = await graph(log, undefined, 'cache').start('all');
    const err = await running.stop().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleStopError);
    expect((err as ModuleStopError).errors.map((e: Error) => e.message)).toEqual(['module cache failed to stop: cache would not stop']);
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop server', 'stop ui', 'stop api', 'stop cache', 'stop db']);
    await running.stop();
    expect(log.filter((l) => l.startsWith('stop'))).toHaveLength(5);
  });
});
