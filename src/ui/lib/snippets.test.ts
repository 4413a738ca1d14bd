import { describe, expect, it } from 'vitest';
import { basicAuthSnippet, remoteWriteUrl, sigv4Snippet } from './snippets';

describe('console snippets', () => {
  const s = { endpoint: 'http://127.0.0.1:8080/workspaces/ws-1/', region: 'eu-west-1' };
  it('builds the remote-write URL from the endpoint', () => {
    expect(remoteWriteUrl(s)).toBe('http://127.0.0.1:8080/workspaces/ws-1/api/v1/remote_write');
    expect(remoteWriteUrl({ ...s, endpoint: 'http://h/workspaces/ws-2' })).toBe('http://h/workspaces/ws-2/api/v1/remote_write');
  });
  it('puts the region in the SigV4 block and the credential in the basic_auth block', () => {
    expect(sigv4Snippet(s)).toContain('region: eu-west-1');
    expect(basicAuthSnippet(s, 'u-at-1', 'pw')).toMatch(/username: u-at-1\n\s+password: pw$/);
  });
});
