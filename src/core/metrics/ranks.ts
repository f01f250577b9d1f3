/** Fractional ranks: the scale-free form in which the audit combines scores of different kinds. */

/**
 * Ranks in [0, 1] of the finite values (0 = lowest, 1 = highest; ties share their mean rank; a single
 * finite value ranks 0.5). Non-finite values (unscored images) get NaN and take no part.
 */
export function fractionalRanks(values: ArrayLike<number>): Float32Array {
  const n = values.length;
  const out = new Float32Array(n).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) order.push(i);
  order.sort((a, b) => values[a] - values[b]);
  const m = order.length;
  for (let i = 0; i < m; ) {
    let j = i;
    while (j + 1 < m && values[order[j + 1]] === values[order[i]]) j++;
    const r = m === 1 ? 0.5 : (i + j) / 2 / (m - 1);
    for (let k = i; k <= j; k++) out[order[k]] = r;
    i = j + 1;
  }
  return out;
}
