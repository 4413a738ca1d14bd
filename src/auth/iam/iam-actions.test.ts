import { describe, expect, it } from 'vitest';
import { openMetaDB } from '../../metadb/metadb.js';
import { SqliteIdentityStore } from '../store/identity-store.js';
import { handleIamAction, IAM_ACTIONS, type IamAuthorize } from './iam-actions.js';
import { parseQueryProtocol, QueryParams } from './params.js';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const allow: IamAuthorize = () => {};

function newStore(): SqliteIdentityStore {
  let i = 0;
  return new SqliteIdentityStore({ db: openMetaDB(':memory:'), now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678), random: (n) => Buffer.alloc(n, i++) });
}

function call(store: SqliteIdentityStore, query: string, authorize: IamAuthorize = allow): { status: number; xml: string } {
  return handleIamAction(store, authorize, new URLSearchParams(query), { requestId: 'req-1', caller: store.rootPrincipal() });
}

describe('handleIamAction', () => {
  it('renders the exact IAM response shape', () => {
    const s = newStore();
    expect(call(s, 'Action=CreateUser&Version=2010-05-08&UserName=bob&Tags.member.1.Key=a&Tags.member.1.Value=b')).toEqual({
      status: 200,
      xml:
        `<CreateUserResponse xmlns="${NS}"><CreateUserResult><User><Path>/</Path><UserName>bob</UserName><UserId>AIDAAAAAAAAAAAAAAAAAA</UserId>` +
        '<Arn>arn:aws:iam::000000000000:user/bob</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate><Tags><member><Key>a</Key><Value>b</Value></member></Tags></User>' +
        '</CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
    });
    expect(call(s, 'Action=DeleteUser&Version=2010-05-08&UserName=bob')).toEqual({
      status: 200,
      xml: `<DeleteUserResponse xmlns="${NS}"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteUserResponse>`,
    });
  });

  it('renders AWS error XML with IAM status codes (table)', () => {
    const s = newStore();
    call(s, 'Action=CreateUser&UserName=dup');
    const cases: [string, number, string, string][] = [
      ['Action=GetUser&UserName=ghost', 404, 'NoSuchEntity', 'The user with name ghost cannot be found.'],
      ['Action=CreateUser&UserName=DUP', 409, 'EntityAlreadyExists', 'User with name DUP already exists.'],
      ['Action=CreateUser', 400, 'ValidationError', "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"],
      ['Action=AttachRolePolicy&RoleName=r', 400, 'ValidationError', "1 validation error detected: Value null at 'policyArn' failed to satisfy constraint: Member must not be null"],
      ['Action=CreatePolicy&PolicyName=p&PolicyDocument=%7B', 400, 'MalformedPolicyDocument', ''],
      ['Action=ListUsers&MaxItems=5000', 400, 'ValidationError', ''],
      ['Action=CreateAccessKey', 400, 'InvalidInput', ''],
      ['Action=CreateOpenIDConnectProvider&Url=http%3A%2F%2Fx', 400, 'InvalidInput', 'The URL must begin with https://'],
      ['Action=CreatePolicyVersion&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonPrometheusQueryAccess&PolicyDocument=%7B%7D', 400, 'MalformedPolicyDocument', ''],
      ['Action=CreateUser&UserName=x&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX', 400, 'InvalidInput', ''],
      ['Action=Frobnicate', 400, 'InvalidAction', 'The action Frobnicate is not valid for this web service.'],
      ['Version=2010-05-08', 400, 'MissingAction', 'Missing Action parameter'],
      ['Action=ListUsers&Version=2011-06-15', 400, 'InvalidAction', 'Could not find operation ListUsers for version 2011-06-15'],
    ];
    for (const [q, status, code, message] of cases) {
      const r = call(s, q);
      expect([q, r.status], r.xml).toEqual([q, status]);
      expect(r.xml).toContain(`<Error><Type>Sender</Type><Code>${code}</Code><Message>${message}`);
      expect(r.xml).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error>.*<\/Error><RequestId>req-1<\/RequestId><\/ErrorResponse>$/);
    }
    expect(s.users.list().map((u) => u.userName)).toEqual(['dup']);
    expect(s.policies.list({ scope: 'Local' })).toEqual([]);
  });

  it('authorises before acting, with condition keys, and denies as AccessDenied', () => {
    const s = newStore();
    call(s, 'Action=CreateRole&RoleName=r&Path=%2Fsvc%2F&AssumeRolePolicyDocument=' + encodeURIComponent('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'));
    const seen: unknown[] = [];
    const r = call(s, 'Action=AttachRolePolicy&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonPrometheusQueryAccess', (a, res, keys) => {
      seen.push([a, res, keys]);
      throw new Error('');
    });
    expect(seen).toEqual([['iam:AttachRolePolicy', 'arn:aws:iam::000000000000:role/svc/r', { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess' }]]);
    expect(r.status).toBe(403);
    expect(r.xml).toContain('<Code>AccessDenied</Code><Message>User: arn:aws:iam::000000000000:root is not authorized to perform: iam:AttachRolePolicy on resource: arn:aws:iam::000000000000:role/svc/r</Message>');
    expect(s.entityPolicies.listAttached('role', 'r')).toEqual([]);
  });

  it('answers unexpected failures as ServiceFailure 500 and reports them', () => {
    const s = newStore();
    s.users.create({ userName: 'u' });
    const errors: unknown[] = [];
    const broken = Object.create(s) as SqliteIdentityStore;
    Object.defineProperty(broken, 'users', { value: { find: () => null, get: () => { throw new TypeError('boom'); } } });
    const r = handleIamAction(broken, allow, new URLSearchParams('Action=GetUser&UserName=u'), { requestId: 'r', onInternalError: (e) => errors.push(e) });
    expect(r.status).toBe(500);
    expect(r.xml).toContain('<Type>Receiver</Type><Code>ServiceFailure</Code>');
    expect(errors).toHaveLength(1);
  });

  it('escapes XML and URL-encodes policy documents', () => {
    const s = newStore();
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"aps:RemoteWrite","Resource":"arn:aws:aps:us-east-1:000000000000:workspace/ws-<&>"}]}';
    call(s, `Action=CreatePolicy&PolicyName=p&Description=${encodeURIComponent('a <b> & "c"')}&PolicyDocument=${encodeURIComponent(doc)}`);
    const v = call(s, 'Action=GetPolicyVersion&PolicyArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Apolicy%2Fp&VersionId=v1');
    expect(v.xml).toContain(`<Document>${encodeURIComponent(doc)}</Document>`);
    const p = call(s, 'Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Apolicy%2Fp');
    expect(p.xml).toContain('<Description>a &lt;b&gt; &amp; "c"</Description>');
  });

  it('implements every action the issue lists', () => {
    const listed = `CreateUser GetUser ListUsers DeleteUser CreateAccessKey ListAccessKeys UpdateAccessKey DeleteAccessKey CreateGroup
      AddUserToGroup CreatePolicy GetPolicy GetPolicyVersion CreatePolicyVersion ListPolicies DeletePolicy AttachUserPolicy AttachGroupPolicy
      AttachRolePolicy DetachRolePolicy ListAttachedRolePolicies PutUserPolicy PutRolePolicy CreateRole GetRole UpdateAssumeRolePolicy DeleteRole
      ListRoles CreateOpenIDConnectProvider GetOpenIDConnectProvider ListOpenIDConnectProviders DeleteOpenIDConnectProvider TagRole TagUser`.split(/\s+/);
    expect(listed.filter((a) => !Object.hasOwn(IAM_ACTIONS, a))).toEqual([]);
  });
});

describe('query protocol parameters', () => {
  it('merges GET query and form body and reads member lists and tags', () => {
    const p = parseQueryProtocol(
      Buffer.from('Action=CreateOpenIDConnectProvider&ClientIDList.member.1=a&ClientIDList.member.2=b&ThumbprintList.member.1=t&Tags.member.1.Key=k&Tags.member.1.Value=v'),
      'Version=2010-05-08&Action=Ignored',
    );
    const q = new QueryParams(p);
    expect(q.optional('Action')).toBe('CreateOpenIDConnectProvider');
    expect(q.optional('Version')).toBe('2010-05-08');
    expect(q.members('ClientIDList')).toEqual(['a', 'b']);
    expect(q.members('ThumbprintList')).toEqual(['t']);
    expect(q.members('Missing')).toBeUndefined();
    expect(q.tags()).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(() => new QueryParams(new URLSearchParams('Tags.member.1.Key=k')).tags()).toThrow(/Member must not be null/);
    expect(() => new QueryParams(new URLSearchParams('SetAsDefault=yes')).bool('SetAsDefault')).toThrow(/boolean/);
  });
});
