import { validationError } from '../store/errors.js';
import type { ListPoliciesFilter } from '../store/managed-policies.js';
import { checkArn, policyArnFor, type IamActionTable, type IamCall } from './action.js';
import { paginate, pageTail } from './paginate.js';
import { policyVersionXml, policyXml } from './render.js';
import { memberList, raw } from './xml.js';

function policyArn(c: IamCall): string {
  return checkArn(c.params.required('PolicyArn'), 'policyArn');
}

function scope(c: IamCall): ListPoliciesFilter['scope'] {
  const s = c.params.optional('Scope');
  if (s === undefined || s === 'All' || s === 'AWS' || s === 'Local') return s;
  throw validationError(s, 'scope', 'Member must satisfy enum value set: [All, AWS, Local]');
}

function usageFilter(c: IamCall): 'PermissionsPolicy' | 'PermissionsBoundary' | undefined {
  const f = c.params.optional('PolicyUsageFilter');
  if (f === undefined || f === 'PermissionsPolicy' || f === 'PermissionsBoundary') return f;
  throw validationError(f, 'policyUsageFilter', 'Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]');
}

/** POLICY_ACTIONS are the managed policy and policy version actions. */
export const POLICY_ACTIONS: IamActionTable = {
  CreatePolicy: {
    resource: (c) => policyArnFor(c, c.params.required('PolicyName')),
    run: (c) => {
      const path = c.params.optional('Path');
      const description = c.params.optional('Description');
      const p = c.store.policies.create({
        policyName: c.params.required('PolicyName'),
        policyDocument: c.params.required('PolicyDocument'),
        tags: c.params.tags(),
        ...(path === undefined ? {} : { path }),
        ...(description === undefined ? {} : { description }),
      });
      return raw('Policy', policyXml(p, false));
    },
  },
  GetPolicy: {
    resource: policyArn,
    run: (c) => raw('Policy', policyXml(c.store.policies.get(policyArn(c)), true)),
  },
  ListPolicies: {
    resource: () => '*',
    run: (c) => {
      const filter: ListPoliciesFilter = { scope: scope(c), onlyAttached: c.params.bool('OnlyAttached') ?? false };
      const prefix = c.params.optional('PathPrefix');
      if (prefix !== undefined) filter.pathPrefix = prefix;
      // Amphora does not evaluate permissions boundaries, so no policy is in use as one.
      const all = usageFilter(c) === 'PermissionsBoundary' && filter.onlyAttached ? [] : c.store.policies.list(filter);
      const page = paginate(all, (p) => `${p.policyName.toLowerCase()}\u0000${p.arn}`, c.params);
      return memberList('Policies', page.items, (p) => policyXml(p, false)) + pageTail(page);
    },
  },
  DeletePolicy: {
    resource: policyArn,
    run: (c) => (c.store.policies.delete(policyArn(c)), null),
  },
  GetPolicyVersion: {
    resource: policyArn,
    run: (c) => raw('PolicyVersion', policyVersionXml(c.store.policies.getVersion(policyArn(c), c.params.required('VersionId')), true)),
  },
  CreatePolicyVersion: {
    resource: policyArn,
    run: (c) => {
      const v = c.store.policies.createVersion(policyArn(c), c.params.required('PolicyDocument'), c.params.bool('SetAsDefault') ?? false);
      return raw('PolicyVersion', policyVersionXml(v, false));
    },
  },
  ListPolicyVersions: {
    resource: policyArn,
    run: (c) => {
      const versions = c.store.policies.listVersions(policyArn(c));
      const page = paginate(versions, (v) => String(1e9 - Number(v.versionId.slice(1))).padStart(10, '0'), c.params);
      return memberList('Versions', page.items, (v) => policyVersionXml(v, false)) + pageTail(page);
    },
  },
  DeletePolicyVersion: {
    resource: policyArn,
    run: (c) => (c.store.policies.deleteVersion(policyArn(c), c.params.required('VersionId')), null),
  },
  SetDefaultPolicyVersion: {
    resource: policyArn,
    run: (c) => (c.store.policies.setDefaultVersion(policyArn(c), c.params.required('VersionId')), null),
  },
};
