import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** ClusterConnectionSchema is how Amphora reaches a cluster's API server: URL, CA, credentials, or a kubeconfig (config file only: it names files). */
export const ClusterConnectionSchema = z
  .object({
    /** apiServer is the API server URL (https://host:6443); taken from the kubeconfig when absent. */
    apiServer: z.string().url().optional(),
    /** caFile / caData (base64 PEM) is the CA bundle that signs the API server's certificate. */
    caFile: z.string().min(1).optional(),
    caData: z.string().min(1).optional(),
    /** token / tokenFile is a bearer token (a service account's); the file is re-read on every connection, as Kubernetes rotates it. */
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    /** certFile and keyFile authenticate with a client certificate. */
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    /** kubeconfig is a kubeconfig file; its current context gives what the fields above do not. */
    kubeconfig: z.string().min(1).optional(),
    /** context picks a kubeconfig context other than current-context. */
    context: z.string().min(1).optional(),
    insecureSkipVerify: z.boolean().optional(),
  })
  .strict();

/** ClusterConnection is a configured connection before its kubeconfig is read. */
export type ClusterConnection = z.infer<typeof ClusterConnectionSchema>;

/** ResolvedConnection is what a Kubernetes client needs: URL, TLS material and a bearer token source. */
export interface ResolvedConnection {
  readonly apiServer: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly insecureSkipVerify: boolean;
  /** token returns the current bearer token (re-reading a token file), or undefined for none. */
  readonly token: () => string | undefined;
}

/** ConnectionError says why a cluster connection cannot be used. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user?: string } }[];
  clusters?: { name: string; cluster: { server?: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users?: { name: string; user: { token?: string; tokenFile?: string; 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string } }[];
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConnectionError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

/** resolveConnection reads a connection's kubeconfig and files into what a client needs; throws ConnectionError. */
export function resolveConnection(c: ClusterConnection): ResolvedConnection {
  let apiServer = c.apiServer;
  let ca = c.caData !== undefined ? b64(c.caData) : c.caFile !== undefined ? readText(c.caFile, 'CA file') : undefined;
  let cert = c.certFile !== undefined ? readText(c.certFile, 'client certificate') : undefined;
  let key = c.keyFile !== undefined ? readText(c.keyFile, 'client key') : undefined;
  let token: (() => string | undefined) | undefined = c.token !== undefined ? () => c.token : c.tokenFile !== undefined ? fileToken(c.tokenFile) : undefined;
  let insecure = c.insecureSkipVerify ?? false;
  if (c.kubeconfig !== undefined) {
    const base = dirname(c.kubeconfig);
    const rel = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
    let kc: Kubeconfig;
    try {
      kc = (parseYaml(readText(c.kubeconfig, 'kubeconfig')) ?? {}) as Kubeconfig;
    } catch (err) {
      if (err instanceof ConnectionError) throw err;
      throw new ConnectionError(`the kubeconfig ${c.kubeconfig} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    const ctxName = c.context ?? kc['current-context'];
    const ctx = kc.contexts?.find((x) => x.name === ctxName)?.context;
    if (!ctx) throw new ConnectionError(`the kubeconfig ${c.kubeconfig} has no context ${JSON.stringify(ctxName ?? '')}`);
    const cl = kc.clusters?.find((x) => x.name === ctx.cluster)?.cluster;
    if (!cl) throw new ConnectionError(`the kubeconfig ${c.kubeconfig} has no cluster ${JSON.stringify(ctx.cluster)}`);
    const user = kc.users?.find((x) => x.name === ctx.user)?.user ?? {};
    apiServer ??= cl.server;
    ca ??= cl['certificate-authority-data'] !== undefined ? b64(cl['certificate-authority-data']) : cl['certificate-authority'] !== undefined ? readText(rel(cl['certificate-authority']), 'CA file') : undefined;
    insecure ||= cl['insecure-skip-tls-verify'] === true;
    cert ??= user['client-certificate-data'] !== undefined ? b64(user['client-certificate-data']) : user['client-certificate'] !== undefined ? readText(rel(user['client-certificate']), 'client certificate') : undefined;
    key ??= user['client-key-data'] !== undefined ? b64(user['client-key-data']) : user['client-key'] !== undefined ? readText(rel(user['client-key']), 'client key') : undefined;
    if (token === undefined && user.token !== undefined) {
      const t = user.token;
      token = () => t;
    }
    if (token === undefined && user.tokenFile !== undefined) token = fileToken(rel(user.tokenFile));
  }
  if (apiServer === undefined) throw new ConnectionError('no API server: give apiServer or a kubeconfig');
  return { apiServer: apiServer.replace(/\/+$/, ''), ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}), insecureSkipVerify: insecure, token: token ?? (() => undefined) };
}

function fileToken(file: string): () => string {
  return () => readText(file, 'token file').trim();
}
