import type { ProxyCredentials } from './credentials.js';

/** WebIdentityRequest is an STS AssumeRoleWithWebIdentity call. */
export interface WebIdentityRequest {
  /** stsEndpoint is the STS base URL (e.g. https://sts.us-east-1.amazonaws.com or Amphora's http://127.0.0.1:8080). */
  stsEndpoint: string;
  roleArn: string;
  sessionName: string;
  token: string;
  fetch: typeof fetch;
}

/** WebIdentityError is a failed AssumeRoleWithWebIdentity, with STS's error code when it sent one. */
export class WebIdentityError extends Error {
  override name = 'WebIdentityError';
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** assumeRoleWithWebIdentity exchanges a web identity token for temporary credentials (unsigned, as STS accepts it). */
export async function assumeRoleWithWebIdentity(r: WebIdentityRequest): Promise<ProxyCredentials> {
  const body = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: r.roleArn, RoleSessionName: r.sessionName, WebIdentityToken: r.token });
  const res = await r.fetch(new URL('/', r.stsEndpoint), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: body.toString() });
  const xml = await res.text();
  if (!res.ok) throw new WebIdentityError(`STS AssumeRoleWithWebIdentity at ${r.stsEndpoint} failed (${res.status} ${tag(xml, 'Code') ?? ''}): ${tag(xml, 'Message') ?? xml.slice(0, 200)}`);
  const accessKeyId = tag(xml, 'AccessKeyId');
  const secretAccessKey = tag(xml, 'SecretAccessKey');
  const sessionToken = tag(xml, 'SessionToken');
  const expiration = tag(xml, 'Expiration');
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) throw new WebIdentityError(`STS AssumeRoleWithWebIdentity at ${r.stsEndpoint} answered without credentials`);
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt: Date.parse(expiration), source: `web identity (${r.roleArn})` };
}
