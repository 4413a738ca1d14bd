import { parsePolicy } from './parse.js';
import type { PolicyDocument } from './types.js';
import { awsManagedPolicyArn } from '../arn.js';

/** ManagedPolicy is an AWS managed policy as IAM lists it. */
export interface ManagedPolicy {
  name: string;
  arn: string;
  description: string;
  /** json is the document text as AWS publishes it (GetPolicyVersion returns this). */
  json: string;
  doc: PolicyDocument;
}

function managed(name: string, description: string, doc: object): ManagedPolicy {
  const json = JSON.stringify(doc, null, 2);
  return { name, arn: awsManagedPolicyArn(name), description, json, doc: parsePolicy(json, 'identity') };
}

/** AmazonPrometheusRemoteWriteAccess grants remote write into every workspace. */
export const AmazonPrometheusRemoteWriteAccess = managed('AmazonPrometheusRemoteWriteAccess', 'Grants write only access to AWS Managed Prometheus workspaces', {
  Version: '2012-10-17',
  Statement: [{ Action: ['aps:RemoteWrite'], Effect: 'Allow', Resource: '*' }],
});

/** AmazonPrometheusQueryAccess grants the Prometheus query APIs of every workspace. */
export const AmazonPrometheusQueryAccess = managed('AmazonPrometheusQueryAccess', 'Grants access to run queries against AWS Managed Prometheus resources', {
  Version: '2012-10-17',
  Statement: [{ Action: ['aps:GetLabels', 'aps:GetMetricMetadata', 'aps:GetSeries', 'aps:QueryMetrics'], Effect: 'Allow', Resource: '*' }],
});

const SCRAPER_SLR = 'arn:aws:iam::*:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper*';

/** AmazonPrometheusFullAccess grants every aps action, plus the EKS/EC2 reads and service-linked role managed scrapers need (policy version v2). */
export const AmazonPrometheusFullAccess = managed('AmazonPrometheusFullAccess', 'Grants full access to AWS Managed Prometheus resources', {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllPrometheusActions', Effect: 'Allow', Action: ['aps:*'], Resource: '*' },
    {
      Sid: 'DescribeCluster',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
      Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['aps.amazonaws.com'] } },
      Resource: '*',
    },
    {
      Sid: 'CreateServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: SCRAPER_SLR,
      Condition: { StringEquals: { 'iam:AWSServiceName': 'scraper.aps.amazonaws.com' } },
    },
  ],
});

/**
 * AmazonPrometheusConsoleFullAccess grants what the AMP console uses. The action list follows AWS's
 * published document up to aps:DeleteQueryLoggingConfiguration; the query, tagging and scraper reads
 * after it are Amphora's reading of the rest (see the report of task H).
 */
export const AmazonPrometheusConsoleFullAccess = managed('AmazonPrometheusConsoleFullAccess', 'Grants full access to AWS Managed Prometheus resources in the AWS console', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['tag:GetTagValues', 'tag:GetTagKeys'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: [
        'aps:CreateWorkspace', 'aps:DescribeWorkspace', 'aps:UpdateWorkspaceAlias', 'aps:DeleteWorkspace', 'aps:ListWorkspaces',
        'aps:DescribeAlertManagerDefinition', 'aps:DescribeRuleGroupsNamespace', 'aps:CreateAlertManagerDefinition',
        'aps:CreateRuleGroupsNamespace', 'aps:DeleteAlertManagerDefinition', 'aps:DeleteRuleGroupsNamespace',
        'aps:ListRuleGroupsNamespaces', 'aps:PutAlertManagerDefinition', 'aps:PutRuleGroupsNamespace', 'aps:TagResource',
        'aps:UntagResource', 'aps:CreateLoggingConfiguration', 'aps:UpdateLoggingConfiguration', 'aps:DeleteLoggingConfiguration',
        'aps:DescribeLoggingConfiguration', 'aps:UpdateWorkspaceConfiguration', 'aps:DescribeWorkspaceConfiguration',
        'aps:CreateQueryLoggingConfiguration', 'aps:UpdateQueryLoggingConfiguration', 'aps:DeleteQueryLoggingConfiguration',
        'aps:DescribeQueryLoggingConfiguration', 'aps:ListTagsForResource', 'aps:GetLabels', 'aps:GetMetricMetadata',
        'aps:GetSeries', 'aps:QueryMetrics', 'aps:ListScrapers', 'aps:DescribeScraper', 'aps:ListAlertManagerAlerts',
        'aps:ListAlertManagerAlertGroups', 'aps:ListAlertManagerSilences', 'aps:GetAlertManagerStatus', 'aps:GetAlertManagerSilence',
        'aps:ListRules',
      ],
      Resource: '*',
    },
  ],
});

/** MANAGED_POLICIES lists the AWS managed policies Amphora knows, by ARN. */
export const MANAGED_POLICIES: ReadonlyMap<string, ManagedPolicy> = new Map(
  [AmazonPrometheusRemoteWriteAccess, AmazonPrometheusQueryAccess, AmazonPrometheusFullAccess, AmazonPrometheusConsoleFullAccess].map((p) => [p.arn, p]),
);
