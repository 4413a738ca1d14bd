import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WorkspaceLookup } from '../../controlplane/limits.js';
import type { Logger } from '../../model/logger.js';
import type { AdminStore, WorkspaceAdmin } from '../../storage/admin.js';
import { isStorageError } from '../../storage/errors.js';
import { BlockUploadError } from '../../tsdb/backfill/upload.js';
import type { RouteAuthLookup } from '../route-auth.js';
import type { RoutePlugin } from '../server.js';
import { ApiError } from './api-error.js';
import { MAX_TIME, MIN_TIME, parseMatchersParam, readForm, timeParam, type Form } from './params.js';
import { sendError, sendJSON, successJSON } from './respond.js';
import { openWorkspace } from './workspace.js';

/** TSDBAdminDeps are what the TSDB admin API needs. */
export interface TSDBAdminDeps {
  readonly admin: AdminStore;
  readonly workspaces: WorkspaceLookup;
  readonly auth: RouteAuthLookup;
  readonly logger: Logger;
  /** maxUploadBytes caps an uploaded block's tar stream (the request body; default 256 MiB). */
  readonly maxUploadBytes?: number;
  /** prefix is where the routes live (default /workspaces/:workspaceId/api/v1). */
  readonly prefix?: string;
}

/** parseGoBool is Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
}

type AdminHandler = (admin: WorkspaceAdmin, form: Form, req: FastifyRequest) => Promise<string | null>;

const snapshot: AdminHandler = async (admin, form) => {
  const raw = form.get('skip_head');
  const skipHead = raw === '' ? false : parseGoBool(raw);
  if (skipHead === null) throw new ApiError('bad_data', `unable to parse boolean 'skip_head' argument: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const s = await admin.snapshot({ skipHead });
  return JSON.stringify({ name: s.name });
};

const deleteSeries: AdminHandler = async (admin, form) => {
  const match = form.all('match[]');
  if (match.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const start = timeParam(form, 'start', MIN_TIME);
  const end = timeParam(form, 'end', MAX_TIME);
  await admin.deleteSeries(start, end, parseMatchersParam(match));
  return null;
};

const cleanTombstones: AdminHandler = async (admin) => {
  await admin.cleanTombstones();
  return null;
};

const uploadBlocks: AdminHandler = async (admin, _form, req) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (body.length === 0) throw new ApiError('bad_data', 'the request body must be a Prometheus block as a tar stream (Content-Type: application/x-tar)');
  const r = await admin.uploadBlock((async function* () {
    yield body;
  })());
  return JSON.stringify(r);
};

/** toAdminError maps admin failures: refused uploads are bad_data (400), a full disk or I/O failure internal (500). */
function toAdminError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof BlockUploadError) return new ApiError('bad_data', `block upload refused: ${err.message}`, { cause: err });
  if (isStorageError(err, 'closed')) return new ApiError('unavailable', err.message, { cause: err });
  return new ApiError('internal', (err as Error)?.message ?? String(err), { cause: err });
}

/**
 * tsdbAdminRoutes serves Prometheus's TSDB admin API per workspace (`admin/tsdb/snapshot`,
 * `delete_series`, `clean_tombstones`; POST or PUT) and Amphora's block upload (`admin/tsdb/blocks`),
 * each authorised with its aps:Admin* action from the route table.
 */
export function tsdbAdminRoutes(deps: TSDBAdminDeps): RoutePlugin {
  const prefix = deps.prefix ?? '/workspaces/:workspaceId/api/v1';
  const endpoints: { path: string; handler: AdminHandler; bodyLimit?: number }[] = [
    { path: 'admin/tsdb/snapshot', handler: snapshot },
    { path: 'admin/tsdb/delete_series', handler: deleteSeries },
    { path: 'admin/tsdb/clean_tombstones', handler: cleanTombstones },
    { path: 'admin/tsdb/blocks', handler: uploadBlocks, bodyLimit: deps.maxUploadBytes ?? 256 * 1024 * 1024 },
  ];
  const store = { workspaces: deps.workspaces, storage: { get: (id: string) => deps.admin.admin(id) } };
  return (app: FastifyInstance) => {
    for (const ep of endpoints) {
      const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const workspaceId = (req.params as { workspaceId: string }).workspaceId;
        try {
          const admin = await openWorkspace(store, workspaceId);
          const data = await ep.handler(admin, readForm(req), req);
          if (data === null) return await reply.code(204).send();
          return await sendJSON(req, reply, 200, successJSON(data));
        } catch (err) {
          const ae = toAdminError(err);
          if (ae.type === 'internal') deps.logger.error({ err: (err as Error).message, path: ep.path, workspaceId }, 'TSDB admin API failed');
          else deps.logger.info({ err: ae.message, path: ep.path, workspaceId }, 'TSDB admin request refused');
          return await sendError(req, reply, ae);
        }
      };
      for (const method of ['POST', 'PUT'] as const) {
        const url = `${prefix}/${ep.path}`;
        app.route({ method, url, config: { auth: deps.auth(method, url) }, handler, ...(ep.bodyLimit !== undefined ? { bodyLimit: ep.bodyLimit } : {}) });
      }
    }
  };
}
