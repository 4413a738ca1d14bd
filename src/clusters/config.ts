import { z } from 'zod';
import { ClusterConnectionSchema } from './connection.js';

/** ClusterNameSchema is EKS's cluster name: 1-100 characters, a letter or digit first, then letters, digits, hyphens and underscores. */
export const ClusterNameSchema = z.string().min(1).max(100).regex(/^[0-9A-Za-z][A-Za-z0-9\-_]*$/, 'must match ^[0-9A-Za-z][A-Za-z0-9\\-_]*');

/** StaticClusterSchema is a cluster defined in Amphora's config file: always registered, read-only through the API. */
export const StaticClusterSchema = ClusterConnectionSchema.extend({
  name: ClusterNameSchema,
  /** oidcIssuer is the cluster's service-account issuer (DescribeCluster's identity.oidc.issuer, for IRSA). */
  oidcIssuer: z.string().url().optional(),
  tags: z.record(z.string()).optional(),
}).strict();

/** ClustersConfigSchema is the `clusters:` section of Amphora's config. */
export const ClustersConfigSchema = z
  .object({
    /** static are clusters known from the config file. */
    static: z.array(StaticClusterSchema).default([]),
    /** connections are named credentials (CA, token, kubeconfig) a cluster registered through the API may use with its amphora.io/connection tag. */
    connections: z.record(ClusterNameSchema, ClusterConnectionSchema).default({}),
  })
  .strict();

/** ClustersConfig is the parsed `clusters:` section. */
export type ClustersConfig = z.infer<typeof ClustersConfigSchema>;
/** StaticCluster is one cluster from the config file. */
export type StaticCluster = z.infer<typeof StaticClusterSchema>;
