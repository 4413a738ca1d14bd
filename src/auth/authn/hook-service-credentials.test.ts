import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonPrometheusRemoteWriteAccess } from '../policy/managed.js';
import type { ServiceCredential } from '../store/service-credentials.js';
import { captureLogger, dataPlaneRoutes, newClock, newStore, startApp } from './fixture.test-util.js';
import { ServiceCredentialAuthenticator } from './service-credentials.js';

/** The authentication hook with service-specific credentials: data plane only, policies apply, 401 with WWW-Authenticate. */
describe('authentication hook: service-specific credentials', () => {
  const clock = newClock();
  const { logger, entries } = captureLogger();
  let app: FastifyInstance;
  let url: string;
  let cred: ServiceCredential;
  const basic = (user: string, password: string) => ({ authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') });

  beforeAll(async () => {
    const store = newStore(clock);
    store.users.create({ userName: 'writer' });
    store.entityPolicies.attach('user', 'writer', AmazonPrometheusRemoteWriteAccess.arn);
    cred = store.serviceCredentials.create('writer', 'aps.amazonaws.com');
    const serviceCredentials = new ServiceCredentialAuthenticator({ store, logger, now: clock.now });
    ({ app, url } = await startApp({ store, region: 'us-east-1', logger, now: clock.now, serviceCredentials }, [dataPlaneRoutes]));
  });
  afterAll(async () => {
    await app.close();
  });

  it('authenticates Basic and Bearer as the user and evaluates its policies', async () => {
    expect((await fetch(`${url}/workspaces/ws-1/api/v1/remote_write`, { method: 'POST', headers: basic(cred.serviceUserName, cred.servicePassword!) })).status).toBe(204);
    expect((await fetch(`${url}/workspaces/ws-1/api/v1/remote_write`, { method: 'POST', headers: { authorization: `Bearer ${cred.serviceUserName}:${cred.servicePassword}` } })).status).toBe(204);
    const denied = await fetch(`${url}/workspaces/ws-1/api/v1/query?query=up`, { headers: basic(cred.serviceUserName, cred.servicePassword!) });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toContain('user/writer is not authorized to perform: aps:QueryMetrics');
  });

  it('answers 401 with WWW-Authenticate in the Prometheus shape for a wrong password, and logs no secret', async () => {
    const r = await fetch(`${url}/workspaces/ws-1/api/v1/remote_write`, { method: 'POST', headers: basic(cred.serviceUserName, 'guessed-password') });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="amphora"');
    expect(await r.json()).toEqual({ status: 'error', errorType: 'InvalidServiceCredentialException', error: 'The service-specific credential is invalid, inactive or expired.' });
    const logged = JSON.stringify(entries);
    expect(logged).toContain('"serviceUserName":"writer-at-000000000000"');
    expect(logged).not.toContain('guessed-password');
    expect(logged).not.toContain(cred.servicePassword!);
  });

  it('refuses them on the control plane with the named error in the AWS JSON shape', async () => {
    const r = await fetch(`${url}/workspaces`, { headers: basic(cred.serviceUserName, cred.servicePassword!) });
    expect(r.status).toBe(403);
    expect(r.headers.get('x-amzn-errortype')).toBe('ServiceCredentialNotAcceptedException');
    expect(((await r.json()) as { message: string }).message).toMatch(/accepted only on the data plane/);
  });
});
