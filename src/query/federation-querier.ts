import { compareLabels, labelsFromList, type Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { LabelHints, Querier, Queryable, SelectHints } from '../storage/interface.js';
import { mergeSortedUnique } from '../storage/merge/merge-querier.js';
import { seriesSetFromArray, type Series, type SeriesSet } from '../storage/series.js';

/** WORKSPACE_LABEL is the label a cross-workspace query adds to every series: the workspace it came from. */
export const WORKSPACE_LABEL = '__workspace_id__';

/** ORIGINAL_WORKSPACE_LABEL keeps a stored series' own __workspace_id__ label, renamed (Mimir's original___tenant_id__). */
export const ORIGINAL_WORKSPACE_LABEL = 'original___workspace_id__';

/** FederationMember is one workspace of a cross-workspace query. */
export interface FederationMember {
  readonly workspaceId: string;
  readonly queryable: Queryable;
}

/** withWorkspace adds the workspace label to a series' labels (renaming an existing one), keeping them sorted. */
export function withWorkspace(labels: Labels, workspaceId: string): Labels {
  const out = labels.map((l) => (l.name === WORKSPACE_LABEL ? { name: ORIGINAL_WORKSPACE_LABEL, value: l.value } : l));
  out.push({ name: WORKSPACE_LABEL, value: workspaceId });
  return labelsFromList(out);
}

/** splitMatchers separates the matchers on the workspace label from the ones the members evaluate. */
function splitMatchers(matchers: readonly Matcher[]): { ws: Matcher[]; rest: Matcher[] } {
  const ws: Matcher[] = [];
  const rest: Matcher[] = [];
  for (const m of matchers) (m.name === WORKSPACE_LABEL ? ws : rest).push(m);
  return { ws, rest };
}

/**
 * FederatedQuerier unions the queriers of several workspaces, as Mimir's tenant federation
 * does: every series gets the `__workspace_id__` label of its workspace; matchers on that label
 * pick the workspaces and are not passed down; label listings merge across workspaces and list
 * `__workspace_id__` itself.
 */
class FederatedQuerier implements Querier {
  private readonly queriers: (Querier | null)[];

  constructor(
    private readonly members: readonly FederationMember[],
    private readonly mint: number,
    private readonly maxt: number,
  ) {
    this.queriers = members.map(() => null);
  }

  private querier(i: number): Querier {
    let q = this.queriers[i];
    if (q === null || q === undefined) {
      q = this.members[i]!.queryable.querier(this.mint, this.maxt);
      this.queriers[i] = q;
    }
    return q;
  }

  /** selected lists the indexes of the members whose workspace id passes every workspace matcher. */
  private selected(ws: readonly Matcher[]): number[] {
    const out: number[] = [];
    this.members.forEach((m, i) => {
      if (ws.every((x) => x.matches(m.workspaceId))) out.push(i);
    });
    return out;
  }

  select(sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const { ws, rest } = splitMatchers(matchers);
    const out: Series[] = [];
    const warnings: string[] = [];
    for (const i of this.selected(ws)) {
      const id = this.members[i]!.workspaceId;
      // Only workspace matchers: nothing to select by inside a workspace (Prometheus's storage answers no matchers with no series).
      if (rest.length === 0) continue;
      const set = this.querier(i).select(false, hints, rest);
      while (set.next()) {
        const s = set.at();
        out.push({ labels: withWorkspace(s.labels, id), iterator: () => s.iterator() });
      }
      for (const w of set.warnings()) warnings.push(`workspace ${id}: ${w}`);
    }
    if (sorted) out.sort((a, b) => compareLabels(a.labels, b.labels));
    return seriesSetFromArray(out, warnings);
  }

  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): string[] {
    const { ws, rest } = splitMatchers(matchers);
    const picked = this.selected(ws);
    if (name === WORKSPACE_LABEL) {
      const ids = picked.filter((i) => rest.length === 0 || this.has(i, rest)).map((i) => this.members[i]!.workspaceId);
      return mergeSortedUnique([ids.sort()], hints?.limit ?? 0);
    }
    const lists: string[][] = [];
    const own = name === ORIGINAL_WORKSPACE_LABEL ? WORKSPACE_LABEL : name;
    for (const i of picked) lists.push(this.querier(i).labelValues(own, rest, hints));
    return mergeSortedUnique(lists, hints?.limit ?? 0);
  }

  /** has reports whether member i has a series matching the matchers. */
  private has(i: number, matchers: readonly Matcher[]): boolean {
    return this.querier(i).select(false, undefined, matchers).next();
  }

  labelNames(matchers: readonly Matcher[], hints?: LabelHints): string[] {
    const { ws, rest } = splitMatchers(matchers);
    const picked = this.selected(ws);
    const lists: string[][] = [];
    for (const i of picked) {
      const names = this.querier(i).labelNames(rest, hints);
      if (names.length === 0) continue;
      lists.push(names.map((n) => (n === WORKSPACE_LABEL ? ORIGINAL_WORKSPACE_LABEL : n)).sort());
      lists.push([WORKSPACE_LABEL]);
    }
    return mergeSortedUnique(lists, hints?.limit ?? 0);
  }

  close(): void {
    for (const q of this.queriers) q?.close();
  }
}

/** federatedQueryable is the Queryable over several workspaces that a cross-workspace query evaluates against. */
export function federatedQueryable(members: readonly FederationMember[]): Queryable {
  return { querier: (mint, maxt) => new FederatedQuerier(members, mint, maxt) };
}
