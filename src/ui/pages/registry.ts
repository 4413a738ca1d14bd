import type { PageDef } from './page';

const modules = import.meta.glob<{ page: PageDef }>('./*.tsx', { eager: true });

/** PAGES are every console page, in navigation order (one `pages/*.tsx` file each). */
export const PAGES: readonly PageDef[] = Object.values(modules)
  .map((m) => m.page)
  .sort((a, b) => a.order - b.order);

/** pagesFor are the pages a session can use: all of them with an access key, the data-plane ones with a service-specific credential. */
export function pagesFor(kind: 'key' | 'service'): PageDef[] {
  return PAGES.filter((p) => kind === 'key' || !p.keyOnly);
}

/** pageFor picks the page a route's first segment names among the usable ones (the first when none). */
export function pageFor(segment: string | undefined, pages: readonly PageDef[]): PageDef {
  return pages.find((p) => p.id === segment) ?? pages[0]!;
}
