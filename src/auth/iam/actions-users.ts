import { IamError } from '../store/errors.js';
import { callerUserName, checkArn, groupArn, userArn, type IamActionTable, type IamCall } from './action.js';
import { paginate, pageTail } from './paginate.js';
import { accessKeyXml, groupXml, tagsXml, userXml } from './render.js';
import { el, isoDate, memberList, policyDocumentXml, raw, textList } from './xml.js';

const ALL = '*';

function userName(c: IamCall): string {
  return c.params.required('UserName');
}

function groupName(c: IamCall): string {
  return c.params.required('GroupName');
}

/** keyOwner is the user whose access keys an action manages: UserName, else the calling user; root keys are configuration, not IAM. */
function keyOwner(c: IamCall): string {
  if (c.params.optional('UserName') === undefined && c.caller?.type === 'root') {
    throw new IamError('InvalidInput', 'Amphora: root access keys come from configuration (AMPHORA_ROOT_ACCESS_KEY_ID or <data-dir>/credentials); pass UserName to manage an IAM user\'s keys.');
  }
  return callerUserName(c);
}

function keyOwnerArn(c: IamCall): string {
  if (c.params.optional('UserName') === undefined && c.caller?.type === 'root') return c.caller.arn;
  return userArn(c, callerUserName(c));
}

/** USER_ACTIONS are the IAM user, access key and group actions. */
export const USER_ACTIONS: IamActionTable = {
  CreateUser: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      c.params.unsupported('PermissionsBoundary', 'permissions boundaries are not evaluated');
      const path = c.params.optional('Path');
      const u = c.store.users.create({ userName: userName(c), tags: c.params.tags(), ...(path === undefined ? {} : { path }) });
      return raw('User', userXml(u));
    },
  },
  GetUser: {
    resource: (c) => (c.params.optional('UserName') === undefined && c.caller?.type === 'root' ? c.caller.arn : userArn(c, callerUserName(c))),
    run: (c) => {
      if (c.params.optional('UserName') === undefined && c.caller?.type === 'root') {
        return raw('User', el('UserId', c.store.accountId) + el('Arn', c.caller.arn) + el('CreateDate', isoDate(0)));
      }
      return raw('User', userXml(c.store.users.get(callerUserName(c))));
    },
  },
  ListUsers: {
    resource: () => ALL,
    run: (c) => {
      const page = paginate(c.store.users.list(c.params.optional('PathPrefix')), (u) => u.userName.toLowerCase(), c.params);
      return memberList('Users', page.items, (u) => userXml(u, false)) + pageTail(page);
    },
  },
  DeleteUser: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => (c.store.users.delete(userName(c)), null),
  },
  TagUser: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => (c.store.users.tag(userName(c), c.params.tags()), null),
  },
  UntagUser: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => (c.store.users.untag(userName(c), c.params.members('TagKeys') ?? []), null),
  },
  ListUserTags: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      const tags = c.store.users.get(userName(c)).tags;
      const page = paginate(tags, (t) => t.Key.toLowerCase(), c.params);
      return (page.items.length === 0 ? raw('Tags', '') : tagsXml(page.items)) + pageTail(page);
    },
  },
  CreateAccessKey: {
    resource: keyOwnerArn,
    run: (c) => raw('AccessKey', accessKeyXml(c.store.accessKeys.create(keyOwner(c)), true)),
  },
  ListAccessKeys: {
    resource: keyOwnerArn,
    run: (c) => {
      const keys = c.store.accessKeys.list(keyOwner(c));
      const page = paginate(keys, (k) => `${String(k.createdAt).padStart(16, '0')}:${k.accessKeyId}`, c.params);
      return memberList('AccessKeyMetadata', page.items, (k) => accessKeyXml(k, false)) + pageTail(page);
    },
  },
  UpdateAccessKey: {
    resource: keyOwnerArn,
    run: (c) => (c.store.accessKeys.setStatus(keyOwner(c), c.params.required('AccessKeyId'), c.params.required('Status')), null),
  },
  DeleteAccessKey: {
    resource: keyOwnerArn,
    run: (c) => (c.store.accessKeys.delete(keyOwner(c), c.params.required('AccessKeyId')), null),
  },
  CreateGroup: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => raw('Group', groupXml(c.store.groups.create(groupName(c), c.params.optional('Path')))),
  },
  GetGroup: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => {
      const g = c.store.groups.get(groupName(c));
      const page = paginate(c.store.groups.members(g.groupName), (u) => u.userName.toLowerCase(), c.params);
      return raw('Group', groupXml(g)) + memberList('Users', page.items, (u) => userXml(u, false)) + pageTail(page);
    },
  },
  ListGroups: {
    resource: () => ALL,
    run: (c) => {
      const page = paginate(c.store.groups.list(c.params.optional('PathPrefix')), (g) => g.groupName.toLowerCase(), c.params);
      return memberList('Groups', page.items, groupXml) + pageTail(page);
    },
  },
  ListGroupsForUser: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      const u = c.store.users.get(userName(c));
      const page = paginate(c.store.groups.forUserId(u.userId), (g) => g.groupName.toLowerCase(), c.params);
      return memberList('Groups', page.items, groupXml) + pageTail(page);
    },
  },
  DeleteGroup: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => (c.store.groups.delete(groupName(c)), null),
  },
  AddUserToGroup: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => (c.store.groups.addUser(groupName(c), userName(c)), null),
  },
  RemoveUserFromGroup: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => (c.store.groups.removeUser(groupName(c), userName(c)), null),
  },
  AttachUserPolicy: {
    resource: (c) => userArn(c, userName(c)),
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.attach('user', userName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  DetachUserPolicy: {
    resource: (c) => userArn(c, userName(c)),
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.detach('user', userName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  ListAttachedUserPolicies: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      const page = paginate(c.store.entityPolicies.listAttached('user', userName(c), c.params.optional('PathPrefix')), (p) => p.policyName.toLowerCase(), c.params);
      return memberList('AttachedPolicies', page.items, (p) => el('PolicyName', p.policyName) + el('PolicyArn', p.policyArn)) + pageTail(page);
    },
  },
  AttachGroupPolicy: {
    resource: (c) => groupArn(c, groupName(c)),
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.attach('group', groupName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  DetachGroupPolicy: {
    resource: (c) => groupArn(c, groupName(c)),
    conditionKeys: (c) => ({ 'iam:PolicyARN': c.params.required('PolicyArn') }),
    run: (c) => (c.store.entityPolicies.detach('group', groupName(c), checkArn(c.params.required('PolicyArn'), 'policyArn')), null),
  },
  PutUserPolicy: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => (c.store.entityPolicies.putInline('user', userName(c), c.params.required('PolicyName'), c.params.required('PolicyDocument')), null),
  },
  GetUserPolicy: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      const name = c.params.required('PolicyName');
      const u = c.store.users.get(userName(c));
      return el('UserName', u.userName) + el('PolicyName', name) + policyDocumentXml('PolicyDocument', c.store.entityPolicies.getInline('user', u.userName, name));
    },
  },
  DeleteUserPolicy: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => (c.store.entityPolicies.deleteInline('user', userName(c), c.params.required('PolicyName')), null),
  },
  ListUserPolicies: {
    resource: (c) => userArn(c, userName(c)),
    run: (c) => {
      const page = paginate(c.store.entityPolicies.listInline('user', userName(c)), (n) => n, c.params);
      return textList('PolicyNames', page.items) + pageTail(page);
    },
  },
  PutGroupPolicy: {
    resource: (c) => groupArn(c, groupName(c)),
    run: (c) => (c.store.entityPolicies.putInline('group', groupName(c), c.params.required('PolicyName'), c.params.required('PolicyDocument')), null),
  },
};
