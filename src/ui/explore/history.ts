const KEY = 'amphora.console.queryHistory';
const MAX = 50;

/** loadHistory is the recent queries, newest first (kept in local storage; queries are not secrets). */
export function loadHistory(storage: Storage = localStorage): string[] {
  try {
    const v = JSON.parse(storage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** addToHistory puts a query first (once), keeping the latest 50. */
export function addToHistory(query: string, storage: Storage = localStorage): string[] {
  const q = query.trim();
  if (!q) return loadHistory(storage);
  const next = [q, ...loadHistory(storage).filter((x) => x !== q)].slice(0, MAX);
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}
