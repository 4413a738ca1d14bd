import { newMatcher } from '../model/matcher.js';
import { PromQLError } from '../promql/engine/errors.js';
import type { Head } from '../tsdb/head/head.js';
import { postingsForMatchers } from '../tsdb/postings/matchers.js';
import type { HeadCall, HeadCaller } from './head-client.js';
import { SeriesWriter } from './head-wire.js';
import type { HeadReply, WireMatcher } from './protocol.js';

/**
 * inThreadHeadCaller answers head calls synchronously from a Head in the same thread, with the
 * same chunk selection and wire encoding as the sliced main-thread side (tests only).
 */
export function inThreadHeadCaller(head: Head): HeadCaller {
  const ms = (xs: readonly WireMatcher[]) => xs.map((m) => newMatcher(m.type, m.name, m.value));
  return {
    call(req: HeadCall): HeadReply {
      switch (req.op) {
        case 'select': {
          const w = new SeriesWriter();
          for (const s of head.selectChunks(req.mint, req.maxt, postingsForMatchers(head.postings, ms(req.matchers)))) w.add(s.labels, s.chunks, s.startTs, s.hist);
          return { seq: 0, kind: 'series', buf: w.finish(), mint: Math.max(req.mint, head.truncatedBefore) };
        }
        case 'labelNames':
          return { seq: 0, kind: 'strings', values: head.querier(req.mint, req.maxt).labelNames(ms(req.matchers)) };
        case 'labelValues':
          return { seq: 0, kind: 'strings', values: head.querier(req.mint, req.maxt).labelValues(req.name, ms(req.matchers)) };
        case 'blocks':
          throw new PromQLError('internal', 'no blocks in a head-only test');
      }
    },
  };
}
