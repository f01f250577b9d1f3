/**
 * A stride-1 2-D convolution whose filter gets a gradient on every tfjs backend.
 *
 * Why: the wasm backend (the fast one in Node, where tfjs-node cannot be installed) has no
 * `Conv2DBackpropFilter` kernel, so `tf.conv2d` cannot be trained there; and on the cpu backend
 * `tf.conv2d`'s filter gradient is 14–21× slower than `tf.conv3d`'s. The variants below compute the same
 * function from ops that each backend differentiates quickly (conv3d/shiftT: shared/notes/node-training.md;
 * fwdConv, the fastest on wasm: `npm run bench:deepsad`).
 * All take x [N, H, W, Cin] (NHWC) and w [kh, kw, Cin, Cout] and return [N, Ho, Wo, Cout].
 */
import * as tf from '@tensorflow/tfjs';

/** 'same' (output size = input size, TensorFlow's split: the extra row/column of an even kernel goes after), 'valid', or explicit zero padding on all four sides. */
export type ConvPad = 'same' | 'valid' | number;

/** Options of {@link trainableConv2d}. */
export interface ConvOptions {
  /**
   * Whether x needs a gradient (default true). Pass false for a network's input: fwdConv then skips
   * computing dx (zeros flow back instead); the other variants ignore it.
   */
  inputGradient?: boolean;
}

/** The implementations of {@link trainableConv2d}. */
export type ConvVariant = 'conv2d' | 'conv3d' | 'shiftT' | 'fwdConv';

/** Zero padding [[top, bottom], [left, right]] that `pad` means for a kh×kw kernel at stride 1. */
export function padAmounts(pad: ConvPad, kh: number, kw: number): [[number, number], [number, number]] {
  if (pad === 'valid') return [[0, 0], [0, 0]];
  if (pad === 'same') {
    const th = kh - 1;
    const tw = kw - 1;
    return [[Math.floor(th / 2), th - Math.floor(th / 2)], [Math.floor(tw / 2), tw - Math.floor(tw / 2)]];
  }
  if (!Number.isInteger(pad) || pad < 0) throw new RangeError(`conv padding must be 'same', 'valid' or an integer ≥ 0, got ${pad}`);
  return [[pad, pad], [pad, pad]];
}

/** Plain `tf.conv2d` (webgl/webgpu have every gradient; wasm lacks the filter gradient). */
export function conv2dNative(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad): tf.Tensor4D {
  return tf.conv2d(x, w, 1, pad);
}

/**
 * `tf.conv3d` over a depth-1 volume: x → [N, 1, H, W, Cin], w → [1, kh, kw, Cin, Cout].
 * Bit-identical to `tf.conv2d` on cpu; wasm has `Conv3DBackpropFilterV2`. conv3d only takes
 * 'same'/'valid', so numeric padding is applied with `tf.pad` first (its gradient is a slice).
 */
export function conv2dViaConv3d(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad): tf.Tensor4D {
  return tf.tidy(() => {
    let xin: tf.Tensor4D = x;
    let mode: 'same' | 'valid' = pad === 'same' ? 'same' : 'valid';
    if (typeof pad === 'number' && pad > 0) {
      xin = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
      mode = 'valid';
    }
    const [n, h, wd, cin] = xin.shape;
    const [kh, kw, , cout] = w.shape;
    const y = tf.conv3d(xin.reshape([n, 1, h, wd, cin]) as tf.Tensor5D, w.reshape([1, kh, kw, cin, cout]) as tf.Tensor5D, 1, mode);
    return y.reshape([n, y.shape[2], y.shape[3], cout]) as tf.Tensor4D;
  });
}

/**
 * A [M,K]·[K,N] matMul whose gradient uses explicit transposes. The default gradient asks for
 * transposeA (dB) and transposeB (dA), which take a slow path in wasm's BatchMatMul (2–17× slower
 * in isolation, node-training.md Q1).
 */
const matMulT = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * "shiftT": zero-pad, then for each of the kh·kw kernel taps take the shifted window of x as a
 * [N·Ho·Wo, Cin] matrix, multiply by that tap's [Cin, Cout] weights ({@link matMulT}) and sum.
 * Fastest on wasm when Cin ≥ 3 (the matMuls dominate); slices dominate for Cin = 1.
 */
export function conv2dShiftT(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = w.shape;
    const [[pt, pb], [pl, pr]] = padAmounts(pad, kh, kw);
    const xp = pt + pb + pl + pr > 0 ? tf.pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : x;
    const [n, hp, wp] = xp.shape;
    const ho = hp - kh + 1;
    const wo = wp - kw + 1;
    if (ho < 1 || wo < 1) throw new RangeError(`conv: kernel ${kh}×${kw} larger than padded input ${hp}×${wp}`);
    const taps = tf.unstack(w.reshape([kh * kw, cin, cout]));
    let acc: tf.Tensor2D | null = null;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const win = tf.slice(xp, [0, i, j, 0], [n, ho, wo, cin]).reshape([n * ho * wo, cin]) as tf.Tensor2D;
        const term = matMulT(win, taps[i * kw + j] as tf.Tensor2D);
        acc = acc === null ? term : tf.add(acc, term);
      }
    }
    return (acc as tf.Tensor2D).reshape([n, ho, wo, cout]) as tf.Tensor4D;
  });
}

/**
 * "fwdConv": forward, input gradient and filter gradient are all computed as forward `tf.conv2d`s,
 * which wasm runs through XNNPACK (its Conv2DBackpropInput and Conv3D kernels are 3–16× slower and
 * it has no Conv2DBackpropFilter). With y = conv(pad(x), w):
 * - dx = conv(dy, w flipped in space with in/out channels swapped), padded by k−1−pad on each side;
 * - dw[i,j,ci,co] = Σ pad(x)[n,h+i,w+j,ci]·dy[n,h,w,co]: a 'valid' conv of pad(x) as
 *   [Cin, Hp, Wp, N] with dy as a [Ho, Wo, N, Cout] kernel, transposed back to [kh, kw, Cin, Cout].
 */
export function conv2dFwdConv(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad, opts: ConvOptions = {}): tf.Tensor4D {
  return fwdConvOp(pad, opts.inputGradient ?? true)(x, w);
}

const fwdConvOps = new Map<string, (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D>();

function fwdConvOp(pad: ConvPad, inputGradient: boolean): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  const key = `${pad}|${inputGradient}`;
  let op = fwdConvOps.get(key);
  if (op) return op;
  op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.conv2d(x, w, 1, pad),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const g = dy as tf.Tensor4D;
        const [kh, kw, cin, cout] = sw.shape;
        const [[pt, pb], [pl, pr]] = padAmounts(pad, kh, kw);
        const back: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [kh - 1 - pt, kh - 1 - pb], [kw - 1 - pl, kw - 1 - pr], [0, 0]];
        const dx = !inputGradient
          ? tf.zerosLike(sx)
          : back.every(([a, b]) => a >= 0 && b >= 0)
          ? tf.conv2d(g, tf.transpose(tf.reverse(sw, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, back)
          : tf.conv2dTranspose(g, sw, sx.shape, 1, pad); // padding wider than the kernel: not used by our nets
        const xp = pt + pb + pl + pr > 0 ? tf.pad(sx, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : sx;
        const dwT = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid');
        return [dx, tf.transpose(dwT, [1, 2, 0, 3]).reshape([kh, kw, cin, cout])];
      },
    };
  }) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
  fwdConvOps.set(key, op);
  return op;
}

/** The variants by name, for benchmarks and tests. */
export const CONV_VARIANTS: Readonly<Record<ConvVariant, (x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad, opts?: ConvOptions) => tf.Tensor4D>> = {
  conv2d: conv2dNative,
  conv3d: conv2dViaConv3d,
  shiftT: conv2dShiftT,
  fwdConv: conv2dFwdConv,
};

/**
 * The variant {@link trainableConv2d} uses on a backend: webgl/webgpu → conv2d (they have every
 * gradient); cpu → conv3d (bit-identical, 14–21× faster to train than conv2d there); wasm → fwdConv
 * (the fastest here for every Deep SAD net, Cin 1 to 32: see `npm run bench:deepsad`, which times the
 * variants inside mnist_LeNet, and BENCHMARKS.md).
 * `cin` is accepted for callers that pass it; the choice no longer depends on it.
 */
export function chooseConvVariant(backend: string, _cin?: number): ConvVariant {
  if (backend === 'wasm') return 'fwdConv';
  if (backend === 'cpu') return 'conv3d';
  return 'conv2d';
}

let forced: ConvVariant | null = null;

/**
 * Makes {@link trainableConv2d} use `variant` on every backend (null restores the automatic choice).
 * For benchmarks that compare the variants inside the real networks; the product never calls it.
 */
export function forceConvVariant(variant: ConvVariant | null): void {
  forced = variant;
}

/**
 * Stride-1 NHWC convolution, trainable on every backend. x [N, H, W, Cin], w [kh, kw, Cin, Cout];
 * returns [N, Ho, Wo, Cout]. Picks the implementation with {@link chooseConvVariant} for `tf.getBackend()`.
 */
export function trainableConv2d(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad, opts?: ConvOptions): tf.Tensor4D {
  return CONV_VARIANTS[forced ?? chooseConvVariant(tf.getBackend())](x, w, pad, opts);
}
