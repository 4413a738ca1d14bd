import { checkArn, roleArn, type IamActionTable, type IamCall } from './action.js';
import { paginate, pageTail } from './paginate.js';
import { roleXml, tagsXml } from './render.js';
import { el, memberList, policyDocumentXml, raw, textList } from './xml.js';

function roleName(c: IamCall): string {
  return c.params.required('RoleName');
}

function arnOf(c: IamCall): string {
  return roleArn(c, roleName(c));
}

/** ROLE_ACTIONS are the IAM role actions: roles, trust policies, role policies and role tags. */
export const ROLE_ACTIONS: IamActionTable = {
  CreateRole: {
    resource: arnOf,
    run: (c) => {
      c.params.unsupported('PermissionsBoundary', 'permissions boundaries are not evaluated');
      const path = c.params.optional('Path');
      const description = c.params.optional('Description');
      const max = c.params.int('MaxSessionDuration', 3600, 43200);
      const r = c.store.roles.create({
        roleName: roleName(c),
        assumeRolePolicyDocument: c.params.required('AssumeRolePolicyDocument'),
        tags: c.params.tags(),
        ...(path === undefined ? {} : { path }),
        ...(description === undefined ? {} : { description }),
        ...(max === undefined ? {} : { maxSessionDuration: max }),
      });
      return raw('Role', roleXml(r, false) + tagsXml(r.tags));
    },
  },
  GetRole: {
    resource: arnOf,
    run: (c) => raw('Role', roleXml(c.store.roles.get(roleName(c)), true)),
  },
  ListRoles: {
    resource: () => '*',
    run: (c) => {
      const page = paginate(c.store.roles.list(c.params.optional('PathPrefix')), (r) => r.roleName.toLowerCase(), c.params);
      return memberList('Roles', page.items, (r) => roleXml(r, false)) + pageTail(page);
    },
  },
  DeleteRole: {
    resource: arnOf,
    run: (c) => (c.store.roles.delete(roleName(c)), null),
  },
  UpdateAssumeRolePolicy: {
    resource: arnOf,
    run: (c) => (c.store.roles.updateTrust(roleName(c), c.params.required('PolicyDocument')), null),
  },
  UpdateRole: {
    resource: arnOf,
    run: (c) => {
      const description = c.params.optional('Description');
      const max = c.params.int('MaxSessionDuration', 3600, 43200);
      c.store.roles.update(roleName(c), { ...(description === undefined ? {} : { description }), ...(max === undefined ? {} : { maxSessionDuration: max }) });
      return '';
    },
  },
  TagRole: {
    resource: arnOf,
    run: (c) => (c.store.roles.tag(roleName(c), c.params.tags()), null),
  },
  UntagRole: {
    resource: arnOf,
    run: (c) => (c.store.roles.untag(roleName(c), c.params.members('TagKeys') ?? []), null),
  },
  ListRoleTags: {
    resource: arnOf,
    run: (c) => {
      const page = paginate(c.store.roles.get(roleName(c)).tags, (t) => t.Key.toLowerCase(), c.params);
      return (page.items.length === 0 ? raw('Tags', '') : tagsXml(page.items)) + pageTail(page);
    },
  },
  AttachRolePolicy: {
    resource: arnOf,
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.attach('role', roleName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  DetachRolePolicy: {
    resource: arnOf,
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.detach('role', roleName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  ListAttachedRolePolicies: {
    resource: arnOf,
    run: (c) => {
      const page = paginate(c.store.entityPolicies.listAttached('role', roleName(c), c.params.optional('PathPrefix')), (p) => p.policyName.toLowerCase(), c.params);
      return memberList('AttachedPolicies', page.items, (p) => el('PolicyName', p.policyName) + el('PolicyArn', p.policyArn)) + pageTail(page);
    },
  },
  PutRolePolicy: {
    resource: arnOf,
    run: (c) => (c.store.entityPolicies.putInline('role', roleName(c), c.params.required('PolicyName'), c.params.required('PolicyDocument')), null),
  },
  GetRolePolicy: {
    resource: arnOf,
    run: (c) => {
      const name = c.params.required('PolicyName');
      const r = c.store.roles.get(roleName(c));
      return el('RoleName', r.roleName) + el('PolicyName', name) + policyDocumentXml('PolicyDocument', c.store.entityPolicies.getInline('role', r.roleName, name));
    },
  },
  DeleteRolePolicy: {
    resource: arnOf,
    run: (c) => (c.store.entityPolicies.deleteInline('role', roleName(c), c.params.required('PolicyName')), null),
  },
  ListRolePolicies: {
    resource: arnOf,
    run: (c) => {
      const page = paginate(c.store.entityPolicies.listInline('role', roleName(c)), (n) => n, c.params);
      return textList('PolicyNames', page.items) + pageTail(page);
    },
  },
};
