import { jsonFloat } from './gofloat.js';

/** QueryTimings are Prometheus's query timings in seconds. */
export interface QueryTimings {
  evalTotalTime: number;
  resultSortTime: number;
  queryPreparationTime: number;
  innerEvalTime: number;
  execQueueTime: number;
  execTotalTime: number;
}

/** statsJSON renders Prometheus's stats block (BuiltinStats): timings, then samples. */
export function statsJSON(t: QueryTimings, samples: { totalSamples: number; peakSamples: number }): string {
  const timings =
    `{"evalTotalTime":${jsonFloat(t.evalTotalTime)},"resultSortTime":${jsonFloat(t.resultSortTime)},` +
    `"queryPreparationTime":${jsonFloat(t.queryPreparationTime)},"innerEvalTime":${jsonFloat(t.innerEvalTime)},` +
    `"execQueueTime":${jsonFloat(t.execQueueTime)},"execTotalTime":${jsonFloat(t.execTotalTime)}}`;
  return `{"timings":${timings},"samples":{"totalQueryableSamples":${samples.totalSamples},"peakSamples":${samples.peakSamples}}}`;
}
