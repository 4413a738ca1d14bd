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

/** PerStepSamples are the samples processed at each step of the grid start + i * step (ms). */
export interface PerStepSamples {
  start: number;
  step: number;
  counts: readonly number[];
}

/** statsJSON renders Prometheus's stats block (BuiltinStats): timings, then samples; per-step counts only for stats=all. */
export function statsJSON(t: QueryTimings, samples: { totalSamples: number; peakSamples: number }, perStep?: PerStepSamples): string {
  const timings =
    `{"evalTotalTime":${jsonFloat(t.evalTotalTime)},"resultSortTime":${jsonFloat(t.resultSortTime)},` +
    `"queryPreparationTime":${jsonFloat(t.queryPreparationTime)},"innerEvalTime":${jsonFloat(t.innerEvalTime)},` +
    `"execQueueTime":${jsonFloat(t.execQueueTime)},"execTotalTime":${jsonFloat(t.execTotalTime)}}`;
  const steps = perStep && perStep.counts.length > 0 ? `"totalQueryableSamplesPerStep":[${perStep.counts.map((n, i) => `[${(perStep.start + i * perStep.step) / 1000},${n}]`).join(',')}],` : '';
  return `{"timings":${timings},"samples":{${steps}"totalQueryableSamples":${samples.totalSamples},"peakSamples":${samples.peakSamples}}}`;
}
