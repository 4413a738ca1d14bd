import type { FuzzTarget } from '../target.js';
import { blockChunksTarget, blockIndexTarget, blockMetaTarget, blockTombstonesTarget } from './block.js';
import { configTarget } from './config.js';
import { httpParamsTarget } from './http-params.js';
import { jwtTarget } from './jwt.js';
import { policyTarget } from './policy.js';
import { promqlTarget } from './promql.js';
import { remoteV1Target, remoteV2Target, snappyTarget } from './remote-write.js';
import { sigv4Target } from './sigv4.js';
import { walTarget } from './wal.js';

/** TARGETS lists every fuzz target, in the order `npm run fuzz` runs them. */
export const TARGETS: readonly FuzzTarget[] = [
  remoteV1Target,
  remoteV2Target,
  snappyTarget,
  promqlTarget,
  sigv4Target,
  policyTarget,
  jwtTarget,
  configTarget,
  httpParamsTarget,
  walTarget,
  blockIndexTarget,
  blockChunksTarget,
  blockTombstonesTarget,
  blockMetaTarget,
];
