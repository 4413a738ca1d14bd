import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachUserPolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { freePort } from '../../bench/tools.js';
import { ROOT } from './helpers.js';

/** NodePrometheusOptions configure startNodePrometheus. */
export interface NodePrometheusOptions {
  /** dir holds prometheus.yml and Prometheus's data. */
  dir: string;
  /** remoteWriteUrl is where Prometheus remote-writes. */
  remoteWriteUrl: string;
  /** remoteWriteAuth is YAML added to the remote_write entry (e.g. a basic_auth block), indented four spaces. */
  remoteWriteAuth?: string;
  /** procs collects the started processes, for the test to kill. */
  procs: ChildProcess[];
}

/** startNodePrometheus starts a real node_exporter and a Debian Prometheus that scrapes it every second and remote-writes it; returns Prometheus's URL. */
export async function startNodePrometheus(o: NodePrometheusOptions): Promise<string> {
  const nePort = await freePort();
  o.procs.push(spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nePort}`], { stdio: 'ignore' }));
  const promPort = await freePort();
  writeFileSync(
    join(o.dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${nePort}']\n` +
      `remote_write:\n  - url: ${o.remoteWriteUrl}\n${o.remoteWriteAuth ?? ''}    queue_config:\n      batch_send_deadline: 1s\n`,
  );
  o.procs.push(spawn('prometheus', [`--config.file=${join(o.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(o.dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' }));
  return `http://127.0.0.1:${promPort}`;
}

/** createWriterUser creates an IAM user holding AmazonPrometheusRemoteWriteAccess and AmazonPrometheusQueryAccess (as root); returns the IAM client. */
export async function createWriterUser(address: string, userName: string): Promise<IAMClient> {
  const iam = new IAMClient({ endpoint: address, region: 'us-east-1', credentials: ROOT });
  await iam.send(new CreateUserCommand({ UserName: userName }));
  for (const p of ['AmazonPrometheusRemoteWriteAccess', 'AmazonPrometheusQueryAccess']) {
    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: `arn:aws:iam::aws:policy/${p}` }));
  }
  return iam;
}
