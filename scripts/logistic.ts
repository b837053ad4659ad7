/**
 * L2-regularised logistic regression over sparse rows, fitted by L-BFGS
 * (full batch, so the same data always gives the same weights).
 */

export interface Rows {
  /** Row r's entries are `cols[start[r] .. start[r+1])` with `vals` alongside. */
  start: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  /** 1 for a true break, 0 otherwise. */
  label: Uint8Array;
  /** Each row's weight in the loss. */
  weight: Float32Array;
  count: number;
}

export interface FitOptions {
  /** L2 strength per column (already scaled as wanted). */
  l2: Float64Array;
  iterations: number;
  /** Rows to use (all when undefined). */
  use?: Uint8Array;
  /** Columns whose weight may not be negative (1 = constrained). */
  nonNegative?: Uint8Array;
}

function lossAndGradient(rows: Rows, theta: Float64Array, opts: FitOptions, grad: Float64Array): number {
  grad.fill(0);
  let loss = 0;
  let total = 0;
  const { start, cols, vals, label, weight } = rows;
  for (let r = 0; r < rows.count; r++) {
    if (opts.use && !opts.use[r]) continue;
    const w = weight[r]!;
    if (w === 0) continue;
    let s = 0;
    for (let k = start[r]!; k < start[r + 1]!; k++) s += theta[cols[k]!]! * vals[k]!;
    const y = label[r]!;
    // log(1 + e^-m) for the margin m = ±s, computed stably.
    const m = y ? s : -s;
    loss += w * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
    const p = 1 / (1 + Math.exp(-s));
    const g = w * (p - y);
    for (let k = start[r]!; k < start[r + 1]!; k++) grad[cols[k]!]! += g * vals[k]!;
    total += w;
  }
  loss /= total;
  for (let j = 0; j < theta.length; j++) {
    grad[j] = grad[j]! / total + opts.l2[j]! * theta[j]!;
    loss += 0.5 * opts.l2[j]! * theta[j]! * theta[j]!;
  }
  return loss;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Fit the weights; returns one weight per column. The search runs on
 * rescaled columns (each divided by the square root of its diagonal
 * curvature), so rare lexical columns converge as fast as common ones.
 */
export function fitLogistic(rows: Rows, columns: number, opts: FitOptions): Float64Array {
  const m = 12;
  const diag = new Float64Array(columns);
  let total = 0;
  for (let r = 0; r < rows.count; r++) {
    if (opts.use && !opts.use[r]) continue;
    const w = rows.weight[r]!;
    total += w;
    for (let k = rows.start[r]!; k < rows.start[r + 1]!; k++) diag[rows.cols[k]!]! += w * rows.vals[k]! * rows.vals[k]!;
  }
  const scale = new Float64Array(columns);
  for (let j = 0; j < columns; j++) scale[j] = 1 / Math.sqrt((0.25 * diag[j]!) / total + opts.l2[j]! + 1e-12);
  const realTheta = new Float64Array(columns);
  const evaluate = (u: Float64Array, g: Float64Array) => {
    for (let j = 0; j < columns; j++) realTheta[j] = u[j]! * scale[j]!;
    const l = lossAndGradient(rows, realTheta, opts, g);
    for (let j = 0; j < columns; j++) g[j] = g[j]! * scale[j]!;
    return l;
  };
  let theta = new Float64Array(columns);
  let grad = new Float64Array(columns);
  let loss = evaluate(theta, grad);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let it = 0; it < opts.iterations; it++) {
    // Two-loop recursion for the search direction.
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k]!, q) / dot(Y[k]!, S[k]!);
      alpha[k] = a;
      for (let j = 0; j < columns; j++) q[j] = q[j]! - a * Y[k]![j]!;
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let j = 0; j < columns; j++) q[j] = q[j]! * gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k]!, q) / dot(Y[k]!, S[k]!);
      for (let j = 0; j < columns; j++) q[j] = q[j]! + S[k]![j]! * (alpha[k]! - b);
    }
    // Backtracking line search along -q.
    const slope = -dot(grad, q);
    if (slope >= 0) break;
    let step = it === 0 ? 1 / Math.max(1, Math.sqrt(dot(grad, grad))) : 1;
    let next = new Float64Array(columns);
    let nextGrad = new Float64Array(columns);
    let nextLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < columns; j++) next[j] = theta[j]! - step * q[j]!;
      if (opts.nonNegative) for (let j = 0; j < columns; j++) if (opts.nonNegative[j] && next[j]! < 0) next[j] = 0;
      nextLoss = evaluate(next, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    const s = new Float64Array(columns);
    const y = new Float64Array(columns);
    for (let j = 0; j < columns; j++) {
      s[j] = next[j]! - theta[j]!;
      y[j] = nextGrad[j]! - grad[j]!;
    }
    const improved = loss - nextLoss;
    theta = next;
    grad = nextGrad;
    loss = nextLoss;
    // A step that hit a bound changes the problem: start the curvature memory again.
    let clipped = false;
    if (opts.nonNegative) for (let j = 0; j < columns; j++) if (opts.nonNegative[j] && theta[j] === 0 && grad[j]! > 0) clipped = true;
    if (clipped) {
      S.length = 0;
      Y.length = 0;
    } else if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    if (process.env.FIT_TRACE && it % 10 === 0) console.error(`  iteration ${it}: loss ${loss.toFixed(6)} step ${step.toExponential(1)}`);
    if (improved >= 0 && improved < 1e-9) break;
  }
  for (let j = 0; j < columns; j++) theta[j] = theta[j]! * scale[j]!;
  return theta;
}
