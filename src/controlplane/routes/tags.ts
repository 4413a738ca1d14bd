import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseApsArn } from '../../auth/arn.js';
import type { ControlPlane } from '../control-plane.js';
import { notFound, validationError } from '../errors.js';
import { check, parseJsonBody, queryList, tagKeySchema, tagMapSchema } from '../input.js';
import { MAX_TAGS_PER_RESOURCE } from '../tag-store.js';
import { ampRoute, requestTagKeys, untagKeys, type RouteContext } from './http.js';
import { rawParam } from './params.js';

const tagSchema = z.object({ tags: tagMapSchema }).strict();

/** registerTagRoutes adds TagResource, UntagResource and ListTagsForResource for every taggable aps ARN. */
export function registerTagRoutes(app: FastifyInstance, ctx: RouteContext, cp: ControlPlane): void {

  /** existingArn validates the {resourceArn} and checks the resource exists. */
  const existingArn = (arn: string): string => {
    const a = parseApsArn(arn);
    if (!a) throw validationError([{ name: 'resourceArn', message: 'must be an Amazon Managed Service for Prometheus resource ARN' }]);
    if (!cp.taggableExists(arn)) throw notFound(a.resourceType, arn, `Resource ${arn} not found`);
    return arn;
  };

  ampRoute(app, ctx, {
    method: 'POST',
    url: '/tags/:resourceArn',
    conditionKeys: requestTagKeys,
    handler: (req) => {
      const input = parseJsonBody(req.body, tagSchema);
      const arn = existingArn(rawParam(req, 'resourceArn'));
      if (cp.tags.wouldExceed(arn, input.tags)) throw validationError([{ name: 'tags', message: `a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags` }]);
      cp.tags.tag(arn, input.tags);
      return { status: 200, body: {} };
    },
  });

  ampRoute(app, ctx, {
    method: 'DELETE',
    url: '/tags/:resourceArn',
    conditionKeys: untagKeys,
    handler: (req) => {
      const keys = queryList((req.query as Record<string, unknown>)['tagKeys']);
      if (keys.length === 0) throw validationError([{ name: 'tagKeys', message: 'is required' }]);
      check(keys, z.array(tagKeySchema), ['tagKeys']);
      const arn = existingArn(rawParam(req, 'resourceArn'));
      cp.tags.untag(arn, keys);
      return { status: 200, body: {} };
    },
  });

  ampRoute(app, ctx, {
    method: 'GET',
    url: '/tags/:resourceArn',
    handler: (req) => {
      const arn = existingArn(rawParam(req, 'resourceArn'));
      return { status: 200, body: { tags: cp.tags.tagsOf(arn) } };
    },
  });
}
