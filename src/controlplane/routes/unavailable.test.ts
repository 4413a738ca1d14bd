import { describe, expect, it } from 'vitest';
import { ALL_PLACEHOLDER_GROUPS, placeholderOperations, type PlaceholderGroup } from './unavailable.js';

// AMP's operations of each resource family not built yet (paths and methods from AMP's model).
const WANT: Record<PlaceholderGroup, string[]> = {
  scrapers: [
    'POST /scrapers CreateScraper',
    'GET /scrapers ListScrapers',
    'GET /scrapers/:scraperId DescribeScraper',
    'PUT /scrapers/:scraperId UpdateScraper',
    'DELETE /scrapers/:scraperId DeleteScraper',
    'GET /scrapers/:scraperId/logging-configuration DescribeScraperLoggingConfiguration',
    'PUT /scrapers/:scraperId/logging-configuration UpdateScraperLoggingConfiguration',
    'DELETE /scrapers/:scraperId/logging-configuration DeleteScraperLoggingConfiguration',
    'GET /scraperconfiguration GetDefaultScraperConfiguration',
  ],
  ruleGroupsNamespaces: [
    'POST /workspaces/:workspaceId/rulegroupsnamespaces CreateRuleGroupsNamespace',
    'GET /workspaces/:workspaceId/rulegroupsnamespaces ListRuleGroupsNamespaces',
    'GET /workspaces/:workspaceId/rulegroupsnamespaces/:name DescribeRuleGroupsNamespace',
    'PUT /workspaces/:workspaceId/rulegroupsnamespaces/:name PutRuleGroupsNamespace',
    'DELETE /workspaces/:workspaceId/rulegroupsnamespaces/:name DeleteRuleGroupsNamespace',
  ],
  alertManagerDefinitions: [
    'POST /workspaces/:workspaceId/alertmanager/definition CreateAlertManagerDefinition',
    'GET /workspaces/:workspaceId/alertmanager/definition DescribeAlertManagerDefinition',
    'PUT /workspaces/:workspaceId/alertmanager/definition PutAlertManagerDefinition',
    'DELETE /workspaces/:workspaceId/alertmanager/definition DeleteAlertManagerDefinition',
  ],
  anomalyDetectors: [
    'POST /workspaces/:workspaceId/anomalydetectors CreateAnomalyDetector',
    'GET /workspaces/:workspaceId/anomalydetectors ListAnomalyDetectors',
    'GET /workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId DescribeAnomalyDetector',
    'PUT /workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId PutAnomalyDetector',
    'DELETE /workspaces/:workspaceId/anomalydetectors/:anomalyDetectorId DeleteAnomalyDetector',
  ],
};

describe('placeholderOperations', () => {
  it.each(ALL_PLACEHOLDER_GROUPS.map((g) => [g]))('%s: exactly AMP\'s operations, from the endpoint action table', (group) => {
    expect(placeholderOperations(group).map((o) => `${o.method} ${o.url} ${o.name}`).sort()).toEqual([...WANT[group]].sort());
  });
});
