import { parseDuration, parseTime } from '../../src/http/prometheus/params.js';
import { bytes, hasInternalCause, utf8, type FuzzTarget } from '../target.js';

const SEEDS = [
  '1700000000', '1700000000.123', '-1.5', '+2e3', '.5', '1e309', '2023-11-14T22:13:20Z', '2023-11-14T22:13:20.123456789+05:30', '2024-02-29T00:00:00-00:00',
  '-292273086-05-16T16:47:06Z', '292277026596-12-04T15:30:07Z', '9999-12-31T23:59:59.999Z', '0000-01-01T00:00:00Z',
  '5m', '1h30m', '1y2w3d4h5m6s7ms', '0', '-5', 'inf', '-Infinity', '1e-9', '9223372036.854775807', '90s',
];
const DICTIONARY = ['T', 'Z', ':', '-', '+', '.', 'e', 'E', 'ms', 's', 'm', 'h', 'd', 'w', 'y', '999999999999', '0', '9', 'inf', 'NaN', ' '].map(bytes);

/** httpParamsTarget fuzzes the Prometheus API's time and duration parameters (start, end, time, step, timeout, lookback_delta). */
export const httpParamsTarget: FuzzTarget = {
  name: 'http-params',
  maxLen: 256,
  dictionary: DICTIONARY,
  async setup() {
    return SEEDS.map(bytes);
  },
  run(input) {
    const s = utf8(input);
    let failed = 0;
    for (const f of [parseTime, parseDuration]) {
      try {
        const v = f(s);
        if (Number.isNaN(v)) throw new TypeError(`${f.name}(${JSON.stringify(s)}) returned NaN`);
      } catch (err) {
        if (!isParamError(err)) throw err;
        failed++;
      }
    }
    if (failed === 2) throw new ParamRejected();
  },
  expected: (err) => err instanceof ParamRejected,
};

class ParamRejected extends Error {}

/** isParamError: these parsers throw a plain Error carrying Prometheus's "cannot parse" message. */
function isParamError(err: unknown): boolean {
  return err instanceof Error && err.constructor === Error && err.message.startsWith('cannot parse') && !hasInternalCause(err);
}
