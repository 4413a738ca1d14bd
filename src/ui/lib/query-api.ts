import type { Credentials } from './credentials';
import { ApiError } from './errors';
import { signedFetch, type SigningService } from './sign';
import { encodeParams, type Params } from './escape';

/** QUERY_API_VERSIONS are the API versions of the AWS query protocol services at `/`. */
const QUERY_API_VERSIONS: Record<'iam' | 'sts', string> = { iam: '2010-05-08', sts: '2011-06-15' };

/** queryApiCall sends one IAM or STS query-protocol action (form POST to `/`, signed for that service) and returns its XML result element. */
export async function queryApiCall(creds: Credentials, service: Extract<SigningService, 'iam' | 'sts'>, action: string, params: Params = {}): Promise<Element> {
  const body = encodeParams({ Action: action, Version: QUERY_API_VERSIONS[service], ...params });
  const res = await signedFetch(creds, { service, method: 'POST', path: '/', body, contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  if (!res.ok) {
    throw new ApiError(text(doc.documentElement, 'Message') || res.statusText, res.status, text(doc.documentElement, 'Code') || 'Error');
  }
  const result = first(doc.documentElement, `${action}Result`);
  return result ?? doc.documentElement;
}

/** first finds the first descendant element with a local name. */
export function first(el: Element, name: string): Element | null {
  return el.getElementsByTagNameNS('*', name)[0] ?? null;
}

/** text is the text of the first descendant with a local name ('' when absent). */
export function text(el: Element, name: string): string {
  return first(el, name)?.textContent?.trim() ?? '';
}

/** members lists the `member` elements directly under the named list element. */
export function members(el: Element, listName: string): Element[] {
  const list = first(el, listName);
  if (!list) return [];
  return [...list.children].filter((c) => c.localName === 'member');
}

/** record reads the named child elements of an element into an object of strings. */
export function record<K extends string>(el: Element, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const n of names) out[n] = [...el.children].find((c) => c.localName === n)?.textContent?.trim() ?? '';
  return out;
}
