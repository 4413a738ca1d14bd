import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type TlsOptions } from 'node:tls';
import type { TlsSettings } from './settings.js';

/** TLS_MIN_VERSION is the oldest protocol the listener accepts: TLS 1.0 and 1.1 are refused in the handshake. */
export const TLS_MIN_VERSION = 'TLSv1.2';

/** TlsConfigError says a certificate, key or CA file cannot be read or used. */
export class TlsConfigError extends Error {
  override name = 'TlsConfigError';
}

/** LoadedTls are the listener's TLS options and facts worth logging about its certificate. */
export interface LoadedTls {
  readonly options: TlsOptions;
  /** subject and notAfter describe the leaf certificate (for the start-up and reload log lines). */
  readonly subject: string;
  readonly notAfter: string;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TlsConfigError(`cannot read the TLS ${what} ${file}: ${(err as Error).message}`);
  }
}

/**
 * loadTls reads the certificate, key and client CA files and checks they form a usable context
 * (a key that does not match the certificate fails here, naming both files, not at the first
 * handshake). With clientAuth 'optional' the server asks for a client certificate and lets the
 * request through without one (SigV4 still authenticates it); 'require' ends the handshake of a
 * client without a certificate signed by the CA.
 */
export function loadTls(s: TlsSettings): LoadedTls {
  const cert = readPem(s.certFile, 'certificate');
  const key = readPem(s.keyFile, 'key');
  const options: TlsOptions = { cert, key, minVersion: TLS_MIN_VERSION };
  if (s.clientAuth !== 'none' && s.clientCAFile !== undefined) {
    options.ca = readPem(s.clientCAFile, 'client CA bundle');
    options.requestCert = true;
    options.rejectUnauthorized = s.clientAuth === 'require';
  }
  let leaf: X509Certificate;
  try {
    createSecureContext(options);
    leaf = new X509Certificate(cert);
  } catch (err) {
    throw new TlsConfigError(`TLS certificate ${s.certFile} with key ${s.keyFile} cannot be used: ${(err as Error).message}`);
  }
  return { options, subject: leaf.subject.replace(/\n/g, ', '), notAfter: new Date(leaf.validTo).toISOString() };
}
