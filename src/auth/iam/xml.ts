/** IAM_XMLNS is the IAM API's XML namespace. */
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** escapeXml escapes text for XML element content (quotes need no escaping there). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** el renders <name>value</name>, or nothing when value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** raw renders <name> around already rendered XML. */
export function raw(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** memberList renders IAM's list shape: <name><member>..</member>...</name>. */
export function memberList<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return raw(name, items.map((i) => raw('member', render(i))).join(''));
}

/** isoDate renders ms epoch the way IAM does: 2024-01-02T03:04:05Z. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** policyDocumentXml encodes a policy document as IAM returns it: URL-encoded JSON text. */
export function policyDocumentXml(name: string, json: string): string {
  return el(name, encodeURIComponent(json));
}

/** successXml renders <XResponse><XResult>inner</XResult><ResponseMetadata>; actions without output get no Result element. */
export function successXml(action: string, result: string | null, requestId: string): string {
  const body = result === null ? '' : raw(`${action}Result`, result);
  return `<${action}Response xmlns="${IAM_XMLNS}">${body}<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`;
}

/** errorXml renders AWS's query-protocol error: <ErrorResponse><Error><Type><Code><Message></Error><RequestId>. */
export function errorXml(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${IAM_XMLNS}"><Error>${el('Type', type)}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`;
}

/** textList renders a list of strings: <name><member>text</member>...</name>. */
export function textList(name: string, items: readonly string[]): string {
  return memberList(name, items, escapeXml);
}
