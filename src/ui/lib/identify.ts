import type { Credentials } from './credentials';
import { getCallerIdentity, type CallerIdentity } from './iam';
import { promCall } from './prom';

/**
 * identify checks credentials and says whose they are: STS GetCallerIdentity for an access key; for a
 * service-specific credential (data plane only, no STS), a signed-in call to its workspace's query API.
 */
export async function identify(creds: Credentials): Promise<CallerIdentity> {
  if (creds.kind === 'key') return getCallerIdentity(creds);
  await promCall(creds, creds.workspaceId, 'status/buildinfo');
  const at = creds.username.lastIndexOf('-at-');
  return { Arn: `${creds.username} (service-specific credential)`, Account: at < 0 ? '' : creds.username.slice(at + 4), UserId: creds.username };
}
