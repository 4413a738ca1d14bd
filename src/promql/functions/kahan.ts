/** kahanSumInc adds inc to sum with Neumaier compensation c; returns [newSum, newC] via the out array. */
export function kahanSumInc(inc: number, sum: number, c: number, out: [number, number]): void {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  out[0] = t;
  out[1] = c;
}

/** quantile computes the q-quantile of values as Prometheus does (sorts values in place). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(floatAsc);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

/** floatAsc orders floats ascending with NaN first, as Go's sort.Float64s. */
export function floatAsc(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** linearRegression fits y over x = (t - interceptTime)/1000 with Kahan sums; returns [slope, intercept]. */
export function linearRegression(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, interceptTime: number): [number, number] {
  let n = 0;
  const sx: [number, number] = [0, 0];
  const sy: [number, number] = [0, 0];
  const sxy: [number, number] = [0, 0];
  const sx2: [number, number] = [0, 0];
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1e3;
    kahanSumInc(x, sx[0], sx[1], sx);
    kahanSumInc(y, sy[0], sy[1], sy);
    kahanSumInc(x * y, sxy[0], sxy[1], sxy);
    kahanSumInc(x * x, sx2[0], sx2[1], sx2);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  const sumX = sx[0] + sx[1];
  const sumY = sy[0] + sy[1];
  const sumXY = sxy[0] + sxy[1];
  const sumX2 = sx2[0] + sx2[1];
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}
