/**
 * sampleLabels merges a scraped sample's labels with its target's (Prometheus's mutateSampleLabels): with
 * honor_labels the sample's labels win; otherwise a clashing sample label is kept as exported_<name>
 * (exported_exported_<name> when that is taken too) and the target's label is set. Empty values are removed.
 */
export function sampleLabels(name: string, sample: Readonly<Record<string, string>>, target: Readonly<Record<string, string>>, honorLabels: boolean): Record<string, string> {
  const out: Record<string, string> = { ...sample, __name__: name };
  if (honorLabels) {
    for (const [k, v] of Object.entries(target)) if ((out[k] ?? '') === '') out[k] = v;
  } else {
    const clashes: [string, string][] = [];
    for (const [k, v] of Object.entries(target)) {
      const existing = out[k];
      if (existing !== undefined && existing !== '') clashes.push([k, existing]);
      out[k] = v;
    }
    // resolveConflictingExposedLabels: shortest names first, each prefixed until free in the sample, the target and the renamed ones.
    clashes.sort((x, y) => x[0].length - y[0].length);
    const taken = new Set<string>();
    for (const c of clashes) {
      let n = c[0];
      do n = `exported_${n}`;
      while (n in sample || n in target || taken.has(n));
      taken.add(n);
      c[0] = n;
    }
    for (const [k, v] of clashes) out[k] = v;
  }
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  return out;
}
