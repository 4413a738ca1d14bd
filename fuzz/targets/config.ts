import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/app/config.js';
import { bytes, typedError, type FuzzTarget } from '../target.js';
import { scratchRoot } from './scratch.js';

let dir = '';
let file = '';

const SEEDS = [
  'dataDir: ./data\nlisten: 127.0.0.1:8080\nregion: us-east-1\naccountId: "000000000000"\nlogLevel: info\ntarget: all\n',
  'publicBaseUrl: https://amp.example\nquery:\n  workers: 2\n  maxOldGenerationMb: 512\n  maxResultBytes: 1048576\n  warmUpMs: 0\n',
  'target: write\nrootAccessKeyId: AKIAEXAMPLE\nrootSecretAccessKey: secret\n',
  'base: &b {region: eu-west-1}\nquery: *b\n',
  '---\n# comment\n{dataDir: "x", listen: "[::1]:9090"}\n...\n',
  '',
];
const DICTIONARY = ['&a ', '*a', '<<: ', '!!binary ', '!!map', '!!str', '? ', '- ', ': ', '|', '>', '"', "'", '{', '}', '[', ']', '\n  ', '%YAML 1.2\n', '---\n', '0x10', '1e400', '~', 'query:', 'workers:', '__proto__:', 'constructor:'].map(bytes);

/** configTarget fuzzes the YAML config file through loadConfig (YAML parse, merge, schema validation). */
export const configTarget: FuzzTarget = {
  name: 'config',
  maxLen: 4096,
  dictionary: DICTIONARY,
  async setup() {
    dir = mkdtempSync(join(scratchRoot(), 'amphora-fuzz-config-'));
    file = join(dir, 'amphora.yaml');
    return SEEDS.map(bytes);
  },
  run(input) {
    writeFileSync(file, input);
    loadConfig({ file, env: {} });
  },
  expected: typedError(ConfigError),
  async teardown() {
    rmSync(dir, { recursive: true, force: true });
  },
};
