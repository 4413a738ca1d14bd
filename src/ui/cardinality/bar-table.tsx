import { DataTable } from '../components/data-table';

/** Stat is one `status/tsdb` entry: a name (metric, label, pair) and its count. */
export interface Stat {
  readonly name: string;
  readonly value: number;
}

/** BarTable shows a `status/tsdb` list as a sortable table with a bar per row, scaled to the largest value. */
export function BarTable({ caption, nameTitle, valueTitle, rows }: { caption: string; nameTitle: string; valueTitle: string; rows: readonly Stat[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <DataTable
      caption={caption}
      rows={rows}
      initialSort={{ col: 1, desc: true }}
      columns={[
        { title: nameTitle, cell: (r) => <code>{r.name}</code>, sort: (r) => r.name },
        { title: valueTitle, cell: (r) => r.value.toLocaleString(), sort: (r) => r.value, numeric: true },
        { title: 'Share', cell: (r) => <span class="bar" style={{ width: `${(100 * r.value) / max}%` }} aria-hidden="true" /> },
      ]}
    />
  );
}
