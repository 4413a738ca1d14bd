// The identity store contract (/work/helpers/identity-contract.md), implemented by SqliteIdentityStore in src/auth/store/.
export type { AccessKeyRecord, IdentityStore, OidcProviderRecord, RoleRecord } from '../store/types.js';
