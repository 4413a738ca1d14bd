import type { FunctionComponent } from 'preact';
import type { Route } from '../lib/router';

/** PageProps are what the shell gives a page: the route and the selected workspace (workspace-scoped pages). */
export interface PageProps {
  readonly route: Route;
  readonly workspaceId: string | undefined;
}

/**
 * PageDef declares one console page. Each `pages/*.tsx` file exports `page: PageDef`; the shell finds them
 * all (pages/registry.ts), so a page for a new engine (scrapers, rules, Alertmanager) is one new file.
 */
export interface PageDef {
  /** id is the first path segment of the page's routes (`#/explore`). */
  readonly id: string;
  readonly title: string;
  /** order places the page in the navigation. */
  readonly order: number;
  /** workspaceScoped pages act on one workspace, chosen in the header and kept in the URL as `ws`. */
  readonly workspaceScoped: boolean;
  /** keyOnly pages use the control plane or IAM, which a service-specific credential (data plane only) cannot call. */
  readonly keyOnly: boolean;
  readonly component: FunctionComponent<PageProps>;
}
