import { createClientCertAuthenticator } from '../../auth/authn/client-cert.js';
import { createAuthHook } from '../../auth/authn/hook.js';
import { tagsToRecord } from '../../auth/store/context.js';
import { ServiceCredentialAuthenticator } from '../../auth/authn/service-credentials.js';
import { ensureRootCredentials } from '../../auth/root-credentials.js';
import { SqliteIdentityStore } from '../../auth/store/identity-store.js';
import { handleIamAction } from '../../auth/iam/iam-actions.js';
import { JwksSource } from '../../auth/oidc/jwks.js';
import { iamStsRoutes } from '../../auth/sts/routes.js';
import { routeAuth } from '../../auth/actions.js';
import type { ModuleDefinition } from '../modules.js';
import type { AmphoraEnv, AmphoraModules } from '../services.js';

/**
 * identityModule holds the IAM identities (users, roles, keys; root credentials generated on first
 * start) and the authentication hook every route passes: SigV4, then the IAM policy check of the
 * route's action and resource, with the control plane's resource policies and tags.
 */
export function identityModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'identity'> {
  return {
    deps: ['metadata-store', 'control-plane'],
    init: (deps) => {
      const { config, logger, now } = env;
      const root = ensureRootCredentials(config.dataDir, { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey });
      if (root.created) {
        process.stdout.write(
          `Generated root credentials (saved to ${root.file}, profile "amphora"):\n` +
            `  aws_access_key_id = ${root.credentials.accessKeyId}\n  aws_secret_access_key = ${root.credentials.secretAccessKey}\n`,
        );
      }
      const meta = deps.get('metadata-store');
      const store = new SqliteIdentityStore({ db: meta.db, secrets: meta.secrets, accountId: config.accountId, root: root.credentials, now });
      const cp = deps.get('control-plane').controlPlane;
      const authenticate = createAuthHook({
        store,
        region: config.region,
        logger,
        now,
        resourcePolicy: (arn) => cp.resourcePolicy(arn),
        resourceTags: (arn) => cp.resourceTags(arn),
        ...(config.tls && config.tls.clientAuth !== 'none'
          ? {
              clientCertPrincipal: createClientCertAuthenticator({
                accountId: store.accountId,
                userByName: (name) => {
                  const u = store.users.find(name);
                  return u ? { ...u, tags: tagsToRecord(u.tags) } : null;
                },
                roleByArn: (arn) => store.getRoleByArn(arn),
              }),
            }
          : {}),
        serviceCredentials: new ServiceCredentialAuthenticator({ store, logger, now }),
      });
      return { store, rootCredentials: root.credentials, authenticate };
    },
  };
}

/** identityApiModule serves the IAM and STS query API (`POST /`, `GET /`). */
export function identityApiModule(env: AmphoraEnv): ModuleDefinition<AmphoraModules, 'identity-api'> {
  return {
    deps: ['identity'],
    init: (deps) => {
      const store = deps.get('identity').store;
      const { logger, now } = env;
      const jwksDir = env.config.auth.jwksDir;
      return {
        routes: iamStsRoutes({
          store,
          jwks: new JwksSource({ now, logger, ...(jwksDir !== undefined ? { jwksDir } : {}) }),
          logger,
          now,
          auth: routeAuth,
          iam: (params, authorize, caller) => handleIamAction(store, authorize, params, { caller, ...(jwksDir !== undefined ? { jwksDir } : {}) }),
        }),
      };
    },
  };
}
