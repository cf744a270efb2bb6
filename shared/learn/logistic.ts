/**
 * L2-regularized logistic regression on sparse rows, fitted by L-BFGS. Written out rather
 * than taken from a library: it is ~150 lines, the problem is small (hundreds of features,
 * mostly 0/1), and it must run the same in the backend and in tests without native code.
 *
 * Minimizes  sum_i logloss(y_i, b + x_i·w) + (lambda / 2) |w|^2  (the intercept b is not
 * penalized): lambda is the precision of a Gaussian prior on each weight, so with few
 * leads the prior dominates (strong shrinkage) and with many the data do.
 */

/** Rows in compressed sparse row form: row r's features are index[start[r]..start[r+1]). */
export type SparseRows = Readonly<{
  rows: number;
  features: number;
  start: Uint32Array;
  index: Uint32Array;
  value: Float64Array;
}>;

export type LogisticFit = Readonly<{
  intercept: number;
  weights: Float64Array;
  iterations: number;
  converged: boolean;
  /** Objective at the optimum (penalized negative log-likelihood). */
  loss: number;
}>;

export type LogisticOptions = Readonly<{
  lambda: number;
  maxIterations?: number;
  /** Stop when the gradient's largest component falls below this. */
  tolerance?: number;
  /** Called every iteration; return false to stop (cancel). */
  onIteration?: (iteration: number) => boolean | void;
  /** Where to start: a nearby fit's weights (a refit after re-encoding a few features converges in few steps). */
  initial?: Readonly<{ intercept: number; weights: ArrayLike<number> }>;
}>;

/** Builds SparseRows from per-row lists of [feature, value]. */
export function sparseRows(features: number, rows: readonly (readonly (readonly [number, number])[])[]): SparseRows {
  const start = new Uint32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    nnz += r.length;
    start[i + 1] = nnz;
  });
  const index = new Uint32Array(nnz);
  const value = new Float64Array(nnz);
  let k = 0;
  for (const r of rows)
    for (const [f, v] of r) {
      index[k] = f;
      value[k++] = v;
    }
  return { rows: rows.length, features, start, index, value };
}

/** The linear predictor b + x·w of every row. */
export function linearPredictor(x: SparseRows, intercept: number, weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let z = intercept;
    for (let k = x.start[r]!; k < x.start[r + 1]!; k++) z += x.value[k]! * weights[x.index[k]!]!;
    out[r] = z;
  }
  return out;
}

/** Loss and gradient at theta = [intercept, ...weights]; the gradient is written into `grad`. */
function lossAndGradient(
  x: SparseRows,
  y: ArrayLike<number>,
  lambda: number,
  theta: Float64Array,
  grad: Float64Array,
): number {
  grad.fill(0);
  let loss = 0;
  const b = theta[0]!;
  for (let r = 0; r < x.rows; r++) {
    let z = b;
    const s = x.start[r]!;
    const e = x.start[r + 1]!;
    for (let k = s; k < e; k++) z += x.value[k]! * theta[1 + x.index[k]!]!;
    // logloss = softplus(z) - y z; d/dz = sigmoid(z) - y; both from one exp(-|z|) (no overflow).
    const ez = Math.exp(-Math.abs(z));
    loss += (z > 0 ? z : 0) + Math.log1p(ez) - y[r]! * z;
    const g = (z >= 0 ? 1 / (1 + ez) : ez / (1 + ez)) - y[r]!;
    grad[0]! += g;
    for (let k = s; k < e; k++) grad[1 + x.index[k]!]! += g * x.value[k]!;
  }
  for (let j = 1; j < theta.length; j++) {
    loss += 0.5 * lambda * theta[j]! * theta[j]!;
    grad[j]! += lambda * theta[j]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Fits the model; y holds 0/1 outcomes. */
export function fitLogistic(x: SparseRows, y: ArrayLike<number>, options: LogisticOptions): LogisticFit {
  const dim = x.features + 1;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-5 * Math.max(1, x.rows);
  const memory = 8;
  const theta = new Float64Array(dim);
  // Start the intercept at the base rate's log-odds: most of the fit is then already done.
  let positives = 0;
  for (let r = 0; r < x.rows; r++) positives += y[r]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, x.rows)));
  theta[0] = Math.log(rate / (1 - rate));
  if (options.initial) {
    theta[0] = options.initial.intercept;
    for (let j = 1; j < dim; j++) theta[j] = options.initial.weights[j - 1] ?? 0;
  }
  const grad = new Float64Array(dim);
  let loss = lossAndGradient(x, y, options.lambda, theta, grad);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(dim);
  const nextTheta = new Float64Array(dim);
  const nextGrad = new Float64Array(dim);
  const alpha = new Float64Array(memory);
  let iteration = 0;
  let converged = false;
  for (; iteration < maxIterations; iteration++) {
    let gmax = 0;
    for (let j = 0; j < dim; j++) gmax = Math.max(gmax, Math.abs(grad[j]!));
    if (gmax < tolerance) {
      converged = true;
      break;
    }
    if (options.onIteration?.(iteration) === false) break;
    // Two-loop recursion: direction = -H grad.
    for (let j = 0; j < dim; j++) direction[j] = -grad[j]!;
    for (let m = sList.length - 1; m >= 0; m--) {
      alpha[m] = rho[m]! * dot(sList[m]!, direction);
      const ym = yList[m]!;
      for (let j = 0; j < dim; j++) direction[j]! -= alpha[m]! * ym[j]!;
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!);
      for (let j = 0; j < dim; j++) direction[j]! *= gamma;
    } else {
      // First step: a small one along the gradient (the scale of the problem is unknown yet).
      const norm = Math.sqrt(dot(direction, direction));
      for (let j = 0; j < dim; j++) direction[j]! /= Math.max(1, norm);
    }
    for (let m = 0; m < sList.length; m++) {
      const beta = rho[m]! * dot(yList[m]!, direction);
      const sm = sList[m]!;
      for (let j = 0; j < dim; j++) direction[j]! += sm[j]! * (alpha[m]! - beta);
    }
    let slope = dot(grad, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from the gradient.
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      for (let j = 0; j < dim; j++) direction[j] = -grad[j]!;
      slope = dot(grad, direction);
    }
    // Backtracking line search (Armijo).
    let step = 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < dim; j++) nextTheta[j] = theta[j]! + step * direction[j]!;
      nextLoss = lossAndGradient(x, y, options.lambda, nextTheta, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss < loss)) {
      converged = true;
      break;
    }
    const s = new Float64Array(dim);
    const yv = new Float64Array(dim);
    for (let j = 0; j < dim; j++) {
      s[j] = nextTheta[j]! - theta[j]!;
      yv[j] = nextGrad[j]! - grad[j]!;
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(yv);
      rho.push(1 / sy);
    }
    theta.set(nextTheta);
    grad.set(nextGrad);
    const improvement = loss - nextLoss;
    loss = nextLoss;
    if (improvement < 1e-10 * Math.max(1, Math.abs(loss))) {
      converged = true;
      iteration++;
      break;
    }
  }
  return { intercept: theta[0]!, weights: theta.slice(1), iterations: iteration, converged, loss };
}
