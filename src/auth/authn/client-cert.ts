import type { FastifyRequest } from 'fastify';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { Principal } from '../../http/route-auth.js';
import { assumedRoleArn, parseRoleArn } from '../arn.js';
import { SigV4Error } from '../sigv4/errors.js';
import type { RoleRecord } from './identity-store.js';

/** ClientCertDirectory is what mapping a client certificate to a principal reads from the identity store. */
export interface ClientCertDirectory {
  readonly accountId: string;
  /** userByName returns the IAM user (name compared ignoring case, as IAM does), or null. */
  userByName(name: string): { userId: string; userName: string; arn: string; tags: Readonly<Record<string, string>> } | null;
  /** roleByArn returns the role with exactly that ARN (path included), or null. */
  roleByArn(arn: string): RoleRecord | null;
}

const USER_ARN_RE = /^arn:aws:iam::(\d{12}):user(\/(?:.*\/)?)([^/]+)$/;
const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/;

function refuse(message: string): SigV4Error {
  return new SigV4Error('InvalidClientTokenId', message);
}

/** certArns returns the SAN URIs of a certificate that are ARNs. */
function certArns(cert: PeerCertificate): string[] {
  const out: string[] = [];
  for (const entry of (cert.subjectaltname ?? '').split(/,\s*/)) {
    const uri = entry.startsWith('URI:') ? entry.slice(4).replace(/^"(.*)"$/, '$1') : '';
    if (uri.startsWith('arn:')) out.push(uri);
  }
  return out;
}

function commonName(cert: PeerCertificate): string | undefined {
  const cn = (cert.subject as Record<string, string | string[]> | undefined)?.['CN'];
  return Array.isArray(cn) ? (cn.length === 1 ? cn[0] : undefined) : cn;
}

/**
 * principalOfCertificate maps a verified client certificate to an IAM principal of this account:
 * - a SAN URI `arn:aws:iam::<account>:user/<path/>name` names that IAM user (the ARN must match the
 *   user's exactly, path included);
 * - a SAN URI `arn:aws:iam::<account>:role/<path/>name` names a session of that role, as if the
 *   certificate's holder had assumed it: `arn:aws:sts::<account>:assumed-role/<role>/<CN>` (the
 *   session name is the subject CN when it is a valid session name, else `cert-<serial>`), with the
 *   role's policies;
 * - without an ARN SAN, the subject CN names an IAM user.
 * Several ARN SANs, another account's ARN, or a name with no user or role is refused (403,
 * InvalidClientTokenId). Trusting the client CA is trusting it to name any user or role of the
 * account: give it only to what may act as them.
 */
export function principalOfCertificate(cert: PeerCertificate, dir: ClientCertDirectory): Principal {
  const arns = certArns(cert);
  const cn = commonName(cert);
  const what = `The client certificate (subject CN=${cn ?? '(none)'}, serial ${cert.serialNumber})`;
  if (arns.length > 1) throw refuse(`${what} names ${arns.length} ARNs; it must name one IAM user or role.`);
  if (arns.length === 1) {
    const arn = arns[0]!;
    const role = parseRoleArn(arn);
    const user = USER_ARN_RE.exec(arn);
    const account = role?.accountId ?? user?.[1];
    if (account === undefined) throw refuse(`${what} names ${arn}, which is neither an IAM user nor an IAM role ARN.`);
    if (account !== dir.accountId) throw refuse(`${what} names ${arn}, which is not in account ${dir.accountId}.`);
    if (role) {
      const r = dir.roleByArn(arn);
      if (!r) throw refuse(`${what} names the role ${arn}, which does not exist.`);
      const session = cn !== undefined && SESSION_NAME_RE.test(cn) ? cn : `cert-${cert.serialNumber}`.slice(0, 64);
      return {
        type: 'assumed-role', arn: assumedRoleArn(dir.accountId, r.roleName, session), userId: `${r.roleId}:${session}`, accountId: dir.accountId,
        accessKeyId: '', ...(Object.keys(r.tags).length > 0 ? { tags: r.tags } : {}),
      };
    }
    const u = dir.userByName(user![3]!);
    if (!u || u.arn !== arn) throw refuse(`${what} names the user ${arn}, which does not exist.`);
    return userPrincipal(u, dir.accountId);
  }
  if (cn === undefined || cn === '') throw refuse(`${what} has neither an IAM ARN in its subjectAltName URIs nor a subject CN naming an IAM user.`);
  const u = dir.userByName(cn);
  if (!u) throw refuse(`${what} names no IAM user of account ${dir.accountId} (the subject CN is taken as the user name).`);
  return userPrincipal(u, dir.accountId);
}

function userPrincipal(u: NonNullable<ReturnType<ClientCertDirectory['userByName']>>, accountId: string): Principal {
  return { type: 'user', arn: u.arn, userId: u.userId, accountId, accessKeyId: '', username: u.userName, ...(Object.keys(u.tags).length > 0 ? { tags: u.tags } : {}) };
}

/**
 * createClientCertAuthenticator returns the authentication hook's client-certificate path: the
 * principal named by the certificate the TLS handshake verified against the configured client CA,
 * or null when the connection presented none (or one the CA did not sign, with clientAuth
 * 'optional'), so the request goes on to SigV4.
 */
export function createClientCertAuthenticator(dir: ClientCertDirectory): (req: FastifyRequest) => Principal | null {
  return (req) => {
    const socket = req.raw.socket as Partial<TLSSocket>;
    if (socket.encrypted !== true || socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return null;
    const cert = socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return null;
    return principalOfCertificate(cert, dir);
  };
}
