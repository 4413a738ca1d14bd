/**
 * A small module manager after dskit's `modules` package (used by Mimir's `pkg/mimir/modules.go`):
 * named modules with dependencies, an `init` that returns the module's service, and meta-targets
 * that are only dependency lists. Starting a target initialises its dependency closure in
 * dependency order; stopping stops the services in reverse order.
 */

/** ModuleService is what a module's init returns: its public surface plus an optional stop. */
export interface ModuleService {
  /** stop releases what the module holds; called once, after every module that depends on it has stopped. */
  stop?(): void | Promise<void>;
}

/** ModuleDeps gives an init the services of the modules it declared (and nothing else). */
export interface ModuleDeps<M> {
  /** get returns a declared dependency's service; throws for a module the init did not declare. */
  get<K extends keyof M & string>(name: K): M[K];
  /** has reports whether an optional dependency is part of this run. */
  has(name: keyof M & string): boolean;
}

/** ModuleDefinition declares one module. Without init it is a meta-target (a dependency list). */
export interface ModuleDefinition<M, K extends keyof M> {
  /** deps are started first and pulled into every target that includes this module. */
  readonly deps?: readonly (keyof M & string)[];
  /** optionalDeps are started first when the target includes them, but never pulled in (the HTTP server and the route modules). */
  readonly optionalDeps?: readonly (keyof M & string)[];
  /** init builds the module's service from its dependencies. */
  readonly init?: (deps: ModuleDeps<M>) => M[K] | Promise<M[K]>;
}

/** ModuleGraphError reports a mistake in the graph: duplicate or unknown module, unknown dependency, cycle. */
export class ModuleGraphError extends Error {
  override name = 'ModuleGraphError';
}

/** ModuleInitError reports the module whose init failed; the modules started before it have been stopped. */
export class ModuleInitError extends Error {
  override name = 'ModuleInitError';
  constructor(
    readonly module: string,
    cause: unknown,
  ) {
    super(`module ${module} failed to start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** ModuleStopError collects the failures of a stop; every module was still asked to stop. */
export class ModuleStopError extends AggregateError {
  override name = 'ModuleStopError';
}

interface Node {
  readonly deps: string[];
  readonly optionalDeps: string[];
  readonly init: ((deps: ModuleDeps<never>) => unknown) | undefined;
}

/** RunningModules are the started services of one target. */
export interface RunningModules<M> {
  /** order is the initialisation order (meta-targets excluded). */
  readonly order: readonly string[];
  /** get returns a started module's service; throws when the target does not include it. */
  get<K extends keyof M & string>(name: K): M[K];
  /** has reports whether the target includes a module. */
  has(name: keyof M & string): boolean;
  /** stop stops every service in reverse initialisation order (all of them, even when one fails). */
  stop(): Promise<void>;
}

/** ModuleManager holds the module graph; M maps each module name to its service type. */
export class ModuleManager<M> {
  private readonly nodes = new Map<string, Node>();

  /** register adds a module; its dependencies must already be registered, so the graph stays acyclic. */
  register<K extends keyof M & string>(name: K, def: ModuleDefinition<M, K>): void {
    if (this.nodes.has(name)) throw new ModuleGraphError(`module ${name} is registered twice`);
    const deps = [...(def.deps ?? [])];
    const optionalDeps = [...(def.optionalDeps ?? [])];
    for (const d of [...deps, ...optionalDeps]) {
      if (d === name) throw new ModuleGraphError(`module ${name} depends on itself`);
      if (!this.nodes.has(d)) throw new ModuleGraphError(`module ${name} depends on ${d}, which is not registered (register dependencies first)`);
    }
    this.nodes.set(name, { deps, optionalDeps, init: def.init as Node['init'] });
  }

  /** addDependency adds dependencies to a registered module (dskit's AddDependency); refuses unknown modules and cycles. */
  addDependency(name: keyof M & string, ...deps: (keyof M & string)[]): void {
    const node = this.nodes.get(name);
    if (!node) throw new ModuleGraphError(`module ${name} is not registered`);
    for (const d of deps) {
      if (!this.nodes.has(d)) throw new ModuleGraphError(`module ${name} depends on ${d}, which is not registered`);
      const path = this.pathTo(d, name);
      if (path) throw new ModuleGraphError(`dependency ${name} -> ${d} makes a cycle: ${[name, ...path].join(' -> ')}`);
      node.deps.push(d);
    }
  }

  /** modules lists the registered names in registration order. */
  modules(): string[] {
    return [...this.nodes.keys()];
  }

  /** isMetaTarget reports whether a module is only a dependency list. */
  isMetaTarget(name: string): boolean {
    return this.nodes.get(name)?.init === undefined;
  }

  /** closure lists the modules a target runs, in initialisation order (dependencies first; meta-targets excluded). */
  closure(target: keyof M & string): string[] {
    if (!this.nodes.has(target)) throw new ModuleGraphError(`unknown target ${target}; known: ${this.modules().join(', ')}`);
    const included = new Set<string>();
    const pull = (n: string): void => {
      if (included.has(n)) return;
      included.add(n);
      for (const d of this.nodes.get(n)!.deps) pull(d);
    };
    pull(target);
    const order: string[] = [];
    const done = new Set<string>();
    const visit = (n: string): void => {
      if (done.has(n)) return;
      done.add(n);
      const node = this.nodes.get(n)!;
      for (const d of [...node.deps, ...node.optionalDeps.filter((o) => included.has(o))]) visit(d);
      if (node.init) order.push(n);
    };
    // Registration order breaks ties, so a target's order is stable and readable.
    for (const n of this.nodes.keys()) if (included.has(n)) visit(n);
    return order;
  }

  /** start initialises a target's modules in order; when an init fails, stops those already started and throws ModuleInitError. */
  async start(target: keyof M & string): Promise<RunningModules<M>> {
    const order = this.closure(target);
    const services = new Map<string, unknown>();
    const started: string[] = [];
    const stopAll = async (): Promise<void> => {
      const errors: unknown[] = [];
      for (const n of [...started].reverse()) {
        const s = services.get(n) as ModuleService | undefined;
        try {
          await s?.stop?.();
        } catch (err) {
          errors.push(new Error(`module ${n} failed to stop: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
        }
      }
      started.length = 0;
      if (errors.length > 0) throw new ModuleStopError(errors, `${errors.length} module(s) failed to stop`);
    };
    for (const n of order) {
      const node = this.nodes.get(n)!;
      const allowed = new Set([...node.deps, ...node.optionalDeps.filter((o) => services.has(o))]);
      const deps: ModuleDeps<M> = {
        get: (d) => {
          if (!allowed.has(d)) throw new ModuleGraphError(`module ${n} asked for ${d}, which it does not declare as a dependency${node.optionalDeps.includes(d) ? ' in this target' : ''}`);
          return services.get(d) as M[typeof d];
        },
        has: (d) => allowed.has(d),
      };
      try {
        services.set(n, await node.init!(deps as ModuleDeps<never>));
        started.push(n);
      } catch (err) {
        await stopAll().catch(() => undefined);
        throw new ModuleInitError(n, err);
      }
    }
    return {
      order,
      get: (name) => {
        if (!services.has(name)) throw new ModuleGraphError(`target ${target} does not run module ${name}`);
        return services.get(name) as M[typeof name];
      },
      has: (name) => services.has(name),
      stop: stopAll,
    };
  }

  /** pathTo returns a dependency path from one module to another, or null. */
  private pathTo(from: string, to: string, seen = new Set<string>()): string[] | null {
    if (from === to) return [to];
    if (seen.has(from)) return null;
    seen.add(from);
    const node = this.nodes.get(from)!;
    for (const d of [...node.deps, ...node.optionalDeps]) {
      const rest = this.pathTo(d, to, seen);
      if (rest) return [from, ...rest];
    }
    return null;
  }
}
