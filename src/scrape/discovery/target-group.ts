/** LabelSet is a set of label name/value pairs as discovery produces them (meta labels included). */
export type LabelSet = Record<string, string>;

/** TargetGroup is Prometheus's targetgroup.Group: targets sharing labels, identified by a source; an empty group retracts its source. */
export interface TargetGroup {
  readonly source: string;
  readonly targets: LabelSet[];
  readonly labels: LabelSet;
}

/** emptyGroup is the group that retracts every target of a source. */
export function emptyGroup(source: string): TargetGroup {
  return { source, targets: [], labels: {} };
}
