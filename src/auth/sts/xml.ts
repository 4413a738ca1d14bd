import { QUERY_NAMESPACES, xmlEscape } from '../authn/errors.js';

/** StsCredentials are issued temporary credentials. */
export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

/** isoSeconds formats ms epoch as STS does (2019-11-09T13:34:41Z). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** el renders `<name>text</name>` with the text escaped; nothing when text is undefined. */
export function el(name: string, text: string | number | undefined): string {
  return text === undefined ? '' : `<${name}>${xmlEscape(String(text))}</${name}>`;
}

/** credentialsXml renders the Credentials element. */
export function credentialsXml(c: StsCredentials): string {
  return (
    '<Credentials>' +
    el('AccessKeyId', c.accessKeyId) +
    el('SecretAccessKey', c.secretAccessKey) +
    el('SessionToken', c.sessionToken) +
    el('Expiration', isoSeconds(c.expiresAt)) +
    '</Credentials>'
  );
}

/** stsResponse wraps a result in `<{Action}Response xmlns=sts><{Action}Result>...</...><ResponseMetadata>`. */
export function stsResponse(action: string, resultXml: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${QUERY_NAMESPACES.sts}">\n  <${action}Result>${resultXml}</${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}
