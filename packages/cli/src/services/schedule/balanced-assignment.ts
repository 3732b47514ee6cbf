/**
 * Assigns items to seats, one item per seat, at the least total cost (the Hungarian method,
 * O(n³); n is at most a few hundred slots). The costs are rendezvous weights, so the optimum is
 * unique and depends only on names. Why an optimum and not a greedy pass: when one item and one
 * seat are added, the new optimum differs from the old one by a single alternating path (the
 * successive-shortest-path property of min-cost flows), so only the few items on that path move;
 * a greedy pass in a fixed order can cascade through every item after the newcomer.
 *
 * `cost[i][j]` is item i on seat j; there must be at least as many seats as items. Returns the
 * seat of each item.
 */
export function assignMinCost(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  if (n === 0) return [];
  const m = cost[0].length;
  if (m < n) throw new Error(`${n} items but only ${m} seats`);
  // 1-based potentials and matching as in the classic formulation; p[j] = item on seat j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i += 1) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j += 1) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j += 1) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const seatOf = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j += 1) if (p[j] !== 0) seatOf[p[j] - 1] = j - 1;
  return seatOf;
}
