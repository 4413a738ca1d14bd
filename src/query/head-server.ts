import { newMatcher, type Matcher } from '../model/matcher.js';
import { toApiError } from '../http/prometheus/query.js';
import { checkMainThreadRegex } from '../http/prometheus/regex-limit.js';
import { headLabelNames, headLabelValues, HeadSelectError, selectHead, type HeadSource, type SliceOptions } from './head-select.js';
import type { BlockRef, HeadReply, HeadRequest, WireMatcher } from './protocol.js';

/** WorkspaceReadView is what the main thread serves of one workspace to a running job. */
export interface WorkspaceReadView {
  readonly head: HeadSource & { readonly truncatedBefore: number };
  /** blocks lists the workspace's current blocks. */
  blocks(): readonly BlockRef[];
}

/** HeadServeContext is one running job's view and limits. */
export interface HeadServeContext extends SliceOptions {
  readonly view: WorkspaceReadView;
  readonly maxSamples: number;
  readonly maxBytes: number;
  readonly cancelled: () => boolean;
}

function matchers(ms: readonly WireMatcher[]): Matcher[] {
  for (const m of ms) checkMainThreadRegex(m);
  return ms.map((m) => newMatcher(m.type, m.name, m.value));
}

/** serveHeadRequest answers one head RPC request (sliced, never throwing: failures become error replies). */
export async function serveHeadRequest(req: HeadRequest, ctx: HeadServeContext): Promise<{ reply: HeadReply; transfer: ArrayBuffer[] }> {
  const { seq } = req;
  const head = ctx.view.head;
  try {
    switch (req.op) {
      case 'select': {
        const buf = await selectHead(head, req.mint, req.maxt, matchers(req.matchers), ctx);
        return { reply: { seq, kind: 'series', buf, mint: Math.max(req.mint, head.truncatedBefore) }, transfer: [buf] };
      }
      case 'labelNames':
        return { reply: { seq, kind: 'strings', values: await headLabelNames(head, req.mint, req.maxt, matchers(req.matchers), ctx) }, transfer: [] };
      case 'labelValues':
        return { reply: { seq, kind: 'strings', values: await headLabelValues(head, req.name, req.mint, req.maxt, matchers(req.matchers), ctx) }, transfer: [] };
      case 'blocks':
        return { reply: { seq, kind: 'blocks', blocks: ctx.view.blocks() }, transfer: [] };
    }
  } catch (err) {
    if (err instanceof HeadSelectError) return { reply: { seq, kind: 'error', errorType: err.errorType, message: err.message }, transfer: [] };
    const ae = toApiError(err);
    return { reply: { seq, kind: 'error', errorType: ae.type === 'internal' ? 'internal' : ae.type === 'bad_data' ? 'bad_data' : 'execution', message: ae.message }, transfer: [] };
  }
}
