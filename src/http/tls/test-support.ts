import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** HAVE_OPENSSL tells whether the openssl command is available (TLS tests skip without it). */
export const HAVE_OPENSSL = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

/** TestPki is a self-signed CA in a directory and helpers to issue certificates from it (with the openssl command). */
export interface TestPki {
  readonly dir: string;
  /** caFile is the CA certificate (PEM): the clients' --ca-bundle / ca_file, and the server's clientCAFile. */
  readonly caFile: string;
  /** issue writes <name>.crt and <name>.key signed by the CA and returns their paths. */
  issue(name: string, o: { cn: string; san?: string; usage: 'serverAuth' | 'clientAuth'; days?: number }): { certFile: string; keyFile: string };
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * createTestPki makes a CA with the same openssl commands the README gives (EC P-256, CA:TRUE, SAN
 * on leaves), so what the tests accept is what a reader's setup gets.
 */
export function createTestPki(dir: string, caName = 'ca'): TestPki {
  openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${caName}.key`, '-out', `${caName}.crt`, '-days', '2', '-subj', `/CN=Amphora test ${caName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  return {
    dir,
    caFile: join(dir, `${caName}.crt`),
    issue(name, o) {
      writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nextendedKeyUsage=${o.usage}\n${o.san ? `subjectAltName=${o.san}\n` : ''}`);
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${o.cn}`], dir);
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', String(o.days ?? 2), '-extfile', `${name}.ext`], dir);
      return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
    },
  };
}

/** SERVER_SAN is the subjectAltName of test server certificates: the loopback address the tests connect to. */
export const SERVER_SAN = 'IP:127.0.0.1,DNS:localhost';
