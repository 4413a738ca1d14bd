import type { ServiceCredential } from '../store/service-credentials.js';
import { callerUserName, userArn, type IamActionTable, type IamCall } from './action.js';
import { paginate, pageTail } from './paginate.js';
import { el, isoDate, memberList, raw } from './xml.js';

/** serviceCredentialXml renders a ServiceSpecificCredential (with its password) or ServiceSpecificCredentialMetadata structure's fields. */
export function serviceCredentialXml(c: ServiceCredential, withPassword: boolean): string {
  return (
    el('CreateDate', isoDate(c.createdAt)) +
    (c.expiresAt !== undefined ? el('ExpirationDate', isoDate(c.expiresAt)) : '') +
    el('ServiceName', c.serviceName) +
    el('ServiceUserName', c.serviceUserName) +
    (withPassword ? el('ServicePassword', c.servicePassword) : '') +
    el('ServiceSpecificCredentialId', c.serviceSpecificCredentialId) +
    el('UserName', c.userName) +
    el('Status', c.status)
  );
}

function owner(c: IamCall): string {
  return userArn(c, callerUserName(c));
}

function credentialId(c: IamCall): string {
  return c.params.required('ServiceSpecificCredentialId');
}

/** SERVICE_CREDENTIAL_ACTIONS are IAM's service-specific credential actions (service aps.amazonaws.com). */
export const SERVICE_CREDENTIAL_ACTIONS: IamActionTable = {
  CreateServiceSpecificCredential: {
    resource: (c) => userArn(c, c.params.required('UserName')),
    run: (c) => {
      const cred = c.store.serviceCredentials.create(c.params.required('UserName'), c.params.required('ServiceName'), c.params.int('CredentialAgeDays', 1, 36600));
      return raw('ServiceSpecificCredential', serviceCredentialXml(cred, true));
    },
  },
  ListServiceSpecificCredentials: {
    resource: owner,
    run: (c) => {
      c.params.unsupported('AllUsers', 'list one user at a time (UserName)');
      const creds = c.store.serviceCredentials.list(callerUserName(c), c.params.optional('ServiceName'));
      const page = paginate(creds, (k) => `${String(k.createdAt).padStart(16, '0')}:${k.serviceSpecificCredentialId}`, c.params);
      return memberList('ServiceSpecificCredentials', page.items, (k) => serviceCredentialXml(k, false)) + pageTail(page);
    },
  },
  UpdateServiceSpecificCredential: {
    resource: owner,
    run: (c) => (c.store.serviceCredentials.setStatus(callerUserName(c), credentialId(c), c.params.required('Status')), null),
  },
  ResetServiceSpecificCredential: {
    resource: owner,
    run: (c) => raw('ServiceSpecificCredential', serviceCredentialXml(c.store.serviceCredentials.reset(callerUserName(c), credentialId(c)), true)),
  },
  DeleteServiceSpecificCredential: {
    resource: owner,
    run: (c) => (c.store.serviceCredentials.delete(callerUserName(c), credentialId(c)), null),
  },
};
