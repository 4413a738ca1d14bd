import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './errors';

/** AsyncState is a loading value: its data once loaded, the last error, and a reload. */
export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
}

/**
 * useAsync runs a loader when its dependencies change (and on reload), keeping the last data while
 * reloading; `poll` repeats it after the milliseconds it returns for the last data (null: stop).
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[], opts: { poll?: (data: T) => number | null } = {}): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await load();
      if (mine !== seq.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  const poll = opts.poll;
  useEffect(() => {
    const ms = data === undefined || !poll ? null : poll(data);
    if (ms === null) return;
    const t = setTimeout(() => void reload(), ms);
    return () => clearTimeout(t);
  }, [data, reload]);
  return { data, error, loading, reload };
}
