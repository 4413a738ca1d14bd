import { normaliseIssuer } from '../store/oidc-providers.js';
import type { Tag } from '../store/types.js';
import { checkArn, type IamActionTable, type IamCall } from './action.js';
import { oidcProviderXml, tagsXml } from './render.js';
import { el, memberList } from './xml.js';
import { oidcProviderArn } from '../arn.js';
import { checkJwksFile, JwksFileError } from '../oidc/jwks-file.js';
import { IamError } from '../store/errors.js';

/** JWKS_FILE_TAG is the tag key that sets a provider's local JWKS file at creation (Amphora extension for air-gapped installs). */
export const JWKS_FILE_TAG = 'amphora:jwks-file';

/** checkJwksTag refuses an amphora:jwks-file tag outside auth.jwksDir, or naming a file that is missing or not a JWKS (told to the administrator only). */
function checkJwksTag(file: string, jwksDir: string | undefined): void {
  try {
    checkJwksFile(file, jwksDir);
  } catch (e) {
    if (e instanceof JwksFileError) throw new IamError('InvalidInput', `Tag ${JWKS_FILE_TAG}: ${e.message}`);
    throw e;
  }
}

function providerArn(c: IamCall): string {
  return checkArn(c.params.required('OpenIDConnectProviderArn'), 'openIDConnectProviderArn');
}

/** OIDC_ACTIONS are the OpenID Connect identity provider actions. */
export const OIDC_ACTIONS: IamActionTable = {
  CreateOpenIDConnectProvider: {
    resource: (c) => oidcProviderArn(c.store.accountId, normaliseIssuer(c.params.required('Url'))),
    run: (c) => {
      const tags: Tag[] = c.params.tags();
      const jwks = tags.find((t) => t.Key === JWKS_FILE_TAG)?.Value;
      if (jwks !== undefined) checkJwksTag(jwks, c.jwksDir);
      const clientIds = c.params.members('ClientIDList');
      const thumbprints = c.params.members('ThumbprintList');
      const p = c.store.oidcProviders.create({
        url: c.params.required('Url'),
        tags,
        ...(clientIds === undefined ? {} : { clientIds }),
        ...(thumbprints === undefined ? {} : { thumbprints }),
        ...(jwks === undefined ? {} : { jwksFile: jwks }),
      });
      return el('OpenIDConnectProviderArn', p.arn) + tagsXml(p.tags);
    },
  },
  GetOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => oidcProviderXml(c.store.oidcProviders.get(providerArn(c))),
  },
  ListOpenIDConnectProviders: {
    resource: () => '*',
    run: (c) => memberList('OpenIDConnectProviderList', c.store.oidcProviders.list(), (p) => el('Arn', p.arn)),
  },
  DeleteOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.delete(providerArn(c)), null),
  },
  AddClientIDToOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.addClientId(providerArn(c), c.params.required('ClientID')), null),
  },
  RemoveClientIDFromOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.removeClientId(providerArn(c), c.params.required('ClientID')), null),
  },
  UpdateOpenIDConnectProviderThumbprint: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.updateThumbprints(providerArn(c), c.params.members('ThumbprintList') ?? []), null),
  },
  TagOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.tag(providerArn(c), c.params.tags()), null),
  },
  UntagOpenIDConnectProvider: {
    resource: providerArn,
    run: (c) => (c.store.oidcProviders.untag(providerArn(c), c.params.members('TagKeys') ?? []), null),
  },
};
