import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** Column is one column of a DataTable: a header, the cell, and optionally a sort key. */
export interface Column<T> {
  readonly title: string;
  readonly cell: (row: T) => ComponentChildren;
  readonly sort?: (row: T) => string | number;
  readonly numeric?: boolean;
}

/** DataTable renders rows with sortable columns (click or Enter on a header); sort state is announced with aria-sort. */
export function DataTable<T>({ rows, columns, caption, empty = 'Nothing here yet.', initialSort }: { rows: readonly T[]; columns: readonly Column<T>[]; caption: string; empty?: string; initialSort?: { col: number; desc: boolean } }) {
  const [sort, setSort] = useState<{ col: number; desc: boolean } | null>(initialSort ?? null);
  const sorted = [...rows];
  const by = sort ? columns[sort.col]?.sort : undefined;
  if (sort && by) sorted.sort((a, b) => { const x = by(a), y = by(b); const c = x < y ? -1 : x > y ? 1 : 0; return sort.desc ? -c : c; });
  return (
    <table class="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th scope="col" class={c.numeric ? 'num' : ''} aria-sort={sort?.col === i ? (sort.desc ? 'descending' : 'ascending') : undefined}>
              {c.sort ? (
                <button type="button" class="th-sort" onClick={() => setSort({ col: i, desc: sort?.col === i ? !sort.desc : !!c.numeric })}>
                  {c.title} {sort?.col === i ? (sort.desc ? '▼' : '▲') : ''}
                </button>
              ) : (
                c.title
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.length === 0 ? (
          <tr>
            <td colSpan={columns.length} class="empty">{empty}</td>
          </tr>
        ) : (
          sorted.map((r) => <tr>{columns.map((c) => <td class={c.numeric ? 'num' : ''}>{c.cell(r)}</td>)}</tr>)
        )}
      </tbody>
    </table>
  );
}
