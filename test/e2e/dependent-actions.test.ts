import { AmpClient, CreateRuleGroupsNamespaceCommand, CreateWorkspaceCommand } from '@aws-sdk/client-amp';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startTestAmphora } from './helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string };

describe('dependent actions: tags on create need aps:TagResource (the real server)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  const amp = (credentials: Creds) => new AmpClient({ endpoint: amphora.address, region: 'us-east-1', credentials, maxAttempts: 1 });

  async function userAllowed(name: string, actions: string[]): Promise<Creds> {
    const iam = new IAMClient({ endpoint: amphora.address, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: name }));
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(doc) }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  }

  beforeAll(async () => {
    amphora = await startTestAmphora();
  });
  afterAll(async () => amphora.stop());

  it('refuses CreateWorkspace with tags to a principal without aps:TagResource, and allows it with', async () => {
    const creator = await userAllowed('creator', ['aps:CreateWorkspace', 'aps:CreateRuleGroupsNamespace']);
    expect((await amp(creator).send(new CreateWorkspaceCommand({ alias: 'untagged' }))).workspaceId).toMatch(/^ws-/);
    const denied = await amp(creator).send(new CreateWorkspaceCommand({ alias: 'tagged', tags: { team: 'a' } })).then(() => null, (e: Error) => e);
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toMatch(/not authorized to perform: aps:TagResource on resource: arn:aws:aps:us-east-1:000000000000:workspace\/\*/);
    const rgn = await amp(creator)
      .send(new CreateRuleGroupsNamespaceCommand({ workspaceId: 'ws-any', name: 'n', data: new TextEncoder().encode('groups: []'), tags: { team: 'a' } }))
      .then(() => null, (e: Error) => e);
    expect(rgn?.name).toBe('AccessDeniedException');
    expect(rgn?.message).toMatch(/aps:TagResource/);
    const tagger = await userAllowed('tagger', ['aps:CreateWorkspace', 'aps:TagResource']);
    const made = await amp(tagger).send(new CreateWorkspaceCommand({ alias: 'tagged', tags: { team: 'a' } }));
    expect(made.tags).toEqual({ team: 'a' });
  });
});
