import { useEffect, useState } from 'preact/hooks';

/** Route is the part of the URL after `#`: path segments and query parameters (`#/explore?ws=..&q=..`). */
export interface Route {
  readonly segments: string[];
  readonly params: URLSearchParams;
}

/** parseHash reads a route from a location hash. */
export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

/** routeHref builds a `#/...` link from segments and parameters (empty values left out). */
export function routeHref(segments: readonly string[], params: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, v);
  const s = qs.toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

/** navigate goes to a route; replace keeps the history entry (for state kept in the URL as it is edited). */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = href.slice(1);
}

/** useRoute is the current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
