import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/** JwksFileError says why a provider's local JWKS file (the amphora:jwks-file tag) cannot be used; for administrators only. */
export class JwksFileError extends Error {
  override name = 'JwksFileError';
}

/**
 * resolveJwksFile returns the real path of a local JWKS file when it lies inside `jwksDir` (the
 * auth.jwksDir setting), following symbolic links on both; throws JwksFileError when no directory is
 * configured, the path is not absolute, does not exist, or leaves the directory.
 */
export function resolveJwksFile(file: string, jwksDir: string | undefined): string {
  if (jwksDir === undefined) throw new JwksFileError('local JWKS files are disabled: set auth.jwksDir to the directory that holds them');
  if (!isAbsolute(file)) throw new JwksFileError(`the JWKS file must be an absolute path under ${jwksDir}`);
  let real: string;
  let dir: string;
  try {
    dir = realpathSync(jwksDir);
  } catch {
    throw new JwksFileError(`auth.jwksDir ${jwksDir} does not exist`);
  }
  try {
    real = realpathSync(file);
  } catch {
    throw new JwksFileError(`the JWKS file ${file} does not exist`);
  }
  const rel = relative(dir, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new JwksFileError(`the JWKS file ${file} is not under auth.jwksDir (${jwksDir})`);
  return real;
}

/** checkJwksFile resolves a JWKS file under jwksDir and checks that it parses as a JWKS with a keys array; throws JwksFileError. */
export function checkJwksFile(file: string, jwksDir: string | undefined): void {
  const real = resolveJwksFile(file, jwksDir);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(real, 'utf8'));
  } catch (e) {
    throw new JwksFileError(`the JWKS file ${file} is not readable JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray((doc as { keys?: unknown } | null)?.keys)) throw new JwksFileError(`the JWKS file ${file} has no "keys" array`);
}
