import { describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import type { Logger } from '../../model/logger.js';
import { SqliteIdentityStore } from '../store/identity-store.js';
import { presentedCredential, ServiceCredentialAuthenticator, ServiceCredentialError, type AuthenticateInput } from './service-credentials.js';

function setup() {
  let now = 1_700_000_000_000;
  const logs: string[] = [];
  const log = (o: object | string) => logs.push(JSON.stringify(o));
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  const store = new SqliteIdentityStore({ db: openMetaDB(':memory:'), now: () => now });
  store.users.create({ userName: 'jane', tags: [{ Key: 'team', Value: 'obs' }] });
  const cred = store.serviceCredentials.create('jane', 'aps.amazonaws.com');
  const auth = new ServiceCredentialAuthenticator({ store, logger, now: () => now, perIpFailures: 3, perUserFailures: 5 });
  const basic = (user: string, password: string) => presentedCredential('Basic ' + Buffer.from(`${user}:${password}`).toString('base64'));
  const input = (credential: ReturnType<typeof basic>, over: Partial<AuthenticateInput> = {}): AuthenticateInput => ({
    credential: credential as AuthenticateInput['credential'],
    dataPlane: true,
    sourceIp: '127.0.0.1',
    method: 'POST',
    path: '/workspaces/ws-1/api/v1/remote_write',
    ...over,
  });
  const fails = (i: AuthenticateInput): string => {
    try {
      auth.authenticate(i);
      return 'ok';
    } catch (e) {
      if (e instanceof ServiceCredentialError) return `${e.httpStatus} ${e.code}`;
      throw e;
    }
  };
  return { store, cred, auth, basic, input, fails, logs, advance: (ms: number) => (now += ms) };
}

describe('presentedCredential', () => {
  it('reads Basic and Bearer forms, leaves SigV4 alone and flags malformed values', () => {
    expect(presentedCredential('Basic ' + Buffer.from('u-at-1:p:w').toString('base64'))).toEqual({ scheme: 'Basic', serviceUserName: 'u-at-1', password: 'p:w' });
    expect(presentedCredential('bearer u-at-1:pw')).toEqual({ scheme: 'Bearer', serviceUserName: 'u-at-1', password: 'pw' });
    expect(presentedCredential('AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/aps/aws4_request')).toBeNull();
    expect(presentedCredential(undefined)).toBeNull();
    expect(presentedCredential('Bearer sometoken')).toBe('malformed');
    expect(presentedCredential('Basic ' + Buffer.from('nopassword:').toString('base64'))).toBe('malformed');
  });
});

describe('ServiceCredentialAuthenticator', () => {
  it('authenticates the credential as its IAM user with the credential id as key id', () => {
    const { auth, basic, input, cred } = setup();
    const a = auth.authenticate(input(basic(cred.serviceUserName, cred.servicePassword!)));
    expect(a.principal).toMatchObject({ type: 'user', arn: 'arn:aws:iam::000000000000:user/jane', username: 'jane', accessKeyId: cred.serviceSpecificCredentialId, tags: { team: 'obs' } });
    const b = auth.authenticate(input(presentedCredential(`Bearer ${cred.serviceUserName}:${cred.servicePassword}`)!));
    expect(b.principal.arn).toBe(a.principal.arn);
  });

  it('refuses wrong, inactive and expired credentials with 401, and every one off the data plane with 403', () => {
    const { store, auth, basic, input, fails, cred, advance } = setup();
    expect(fails(input(basic(cred.serviceUserName, 'wrong')))).toBe('401 InvalidServiceCredential');
    expect(fails(input(basic(cred.serviceUserName, cred.servicePassword!), { dataPlane: false }))).toBe('403 ServiceCredentialNotAccepted');
    store.serviceCredentials.setStatus('jane', cred.serviceSpecificCredentialId, 'Inactive');
    expect(fails(input(basic(cred.serviceUserName, cred.servicePassword!)))).toBe('401 InvalidServiceCredential');
    const short = store.serviceCredentials.create('jane', 'aps.amazonaws.com', 1);
    expect(auth.authenticate(input(basic(short.serviceUserName, short.servicePassword!))).principal.username).toBe('jane');
    advance(86_400_000);
    expect(fails(input(basic(short.serviceUserName, short.servicePassword!)))).toBe('401 InvalidServiceCredential');
  });

  it('rate-limits failures per source IP and per user name, even for the right password, until the window ends', () => {
    const { auth, basic, input, fails, cred, advance } = setup();
    const good = basic(cred.serviceUserName, cred.servicePassword!);
    for (let i = 0; i < 3; i++) expect(fails(input(basic('nobody-at-000000000000', 'x')))).toBe('401 InvalidServiceCredential');
    expect(fails(input(good))).toBe('429 TooManyAuthenticationFailures');
    expect(fails(input(good, { sourceIp: '127.0.0.2' }))).toBe('ok');
    for (let i = 0; i < 5; i++) fails(input(basic(cred.serviceUserName, 'guess'), { sourceIp: `127.0.1.${i}` }));
    expect(fails(input(good, { sourceIp: '127.0.0.3' }))).toBe('429 TooManyAuthenticationFailures');
    advance(60_000);
    expect(fails(input(good))).toBe('ok');
  });

  it('logs refusals with the user name and never the password', () => {
    const { basic, input, fails, cred, logs } = setup();
    fails(input(basic(cred.serviceUserName, 'wrong-password-value')));
    fails(input(basic(cred.serviceUserName, cred.servicePassword!), { dataPlane: false }));
    const text = logs.join('\n');
    expect(text).toContain(cred.serviceUserName);
    expect(text).not.toContain('wrong-password-value');
    expect(text).not.toContain(cred.servicePassword!);
  });
});
