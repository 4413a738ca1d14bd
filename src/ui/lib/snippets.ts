/** SnippetInput is what the ready-made configuration snippets need. */
export interface SnippetInput {
  /** endpoint is the workspace's Prometheus endpoint (`<base>/workspaces/<id>/`). */
  readonly endpoint: string;
  readonly region: string;
}

/** remoteWriteUrl is the workspace's remote-write URL. */
export function remoteWriteUrl(s: SnippetInput): string {
  return `${s.endpoint.replace(/\/$/, '')}/api/v1/remote_write`;
}

/** queryUrl is the workspace's Prometheus query API base (what Grafana and promtool take). */
export function queryUrl(s: SnippetInput): string {
  return s.endpoint.replace(/\/$/, '');
}

/** sigv4Snippet is a prometheus.yml remote_write block signing with SigV4 (Prometheus 2.26+ built with SigV4). */
export function sigv4Snippet(s: SnippetInput): string {
  return [
    'remote_write:',
    `  - url: ${remoteWriteUrl(s)}`,
    '    sigv4:',
    `      region: ${s.region}`,
    '      # access_key / secret_key, or the AWS credential chain (env, profile, IRSA)',
    '      access_key: <access key id>',
    '      secret_key: <secret access key>',
  ].join('\n');
}

/** basicAuthSnippet is a prometheus.yml remote_write block with a service-specific credential (any Prometheus, including Debian's 2.42). */
export function basicAuthSnippet(s: SnippetInput, user = '<ServiceUserName>', password = '<ServicePassword>'): string {
  return ['remote_write:', `  - url: ${remoteWriteUrl(s)}`, '    basic_auth:', `      username: ${user}`, `      password: ${password}`].join('\n');
}

/** grafanaSettings lists the Grafana Prometheus data-source settings for the workspace. */
export function grafanaSettings(s: SnippetInput): string {
  return [
    '# Grafana > Connections > Data sources > Prometheus',
    `Prometheus server URL: ${queryUrl(s)}`,
    '# SigV4 (grafana.ini [auth] sigv4_auth_enabled = true):',
    'Authentication: SigV4 auth',
    `  Default region: ${s.region}`,
    '  Service: aps (Amazon Managed Service for Prometheus)',
    '  Authentication provider: Access & secret key (or the credential chain)',
    '# or a service-specific credential:',
    'Authentication: Basic authentication',
    '  User: <ServiceUserName>   Password: <ServicePassword>',
    'HTTP method: POST',
  ].join('\n');
}
