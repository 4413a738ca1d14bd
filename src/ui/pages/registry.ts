import type { PageDef } from './page';

const modules = import.meta.glob<{ page: PageDef }>('./*.tsx', { eager: true });

/** PAGES are every console page, in navigation order (one `pages/*.tsx` file each). */
export const PAGES: readonly PageDef[] = Object.values(modules)
  .map((m) => m.page)
  .sort((a, b) => a.order - b.order);

/** pageFor picks the page a route's first segment names (the first page when none). */
export function pageFor(segment: string | undefined): PageDef {
  return PAGES.find((p) => p.id === segment) ?? PAGES[0]!;
}
