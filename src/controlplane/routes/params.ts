import type { FastifyRequest } from 'fastify';
import { validationError } from '../errors.js';
import { workspaceIdSchema } from '../input.js';

/** rawParam returns a path parameter as received (empty string when absent). */
export function rawParam(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string | undefined>)[name] ?? '';
}

/** workspaceIdParam returns the validated {workspaceId} path parameter. */
export function workspaceIdParam(req: FastifyRequest): string {
  const id = rawParam(req, 'workspaceId');
  const r = workspaceIdSchema.safeParse(id);
  if (!r.success) throw validationError([{ name: 'workspaceId', message: r.error.issues[0]?.message ?? 'invalid' }]);
  return id;
}
