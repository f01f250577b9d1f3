/**
 * `renderInsulator`: one synthetic drone crop of an insulator string with its ground truth.
 *
 * Independent random streams (all derived from `seed`) drive the scene (background, string, camera),
 * the defect and the tag, so the same seed rendered with and without a tag, or as another class,
 * shows the same scene: only the tag or the defect differs. That makes counterfactual pairs free.
 */
import { BACKGROUND_KINDS, paintBackground } from './background';
import { blur, createCanvas, expose, toRgbaImage } from './canvas';
import { sampleDamage } from './defects';
import { sampleGeometry } from './geometry';
import { createRng, hashSeed } from './prng';
import { paintString } from './shells';
import { paintTag } from './tag';
import type { InsulatorSample, RenderOptions } from './types';
import { DEFAULT_INSULATOR_SIZE, INSULATOR_CLASSES, InsulatorOptionsError, MAX_INSULATOR_SIZE, MIN_INSULATOR_SIZE } from './types';

/** Stream ids mixed into the seed: one random stream per concern. */
const STREAM = { scene: 1, defect: 2, tag: 3, camera: 4 } as const;

/**
 * Renders one size×size RGBA crop. Deterministic: the same options give the same bytes.
 * @throws InsulatorOptionsError for a size outside [32, 128], a non-integer seed or an unknown class.
 */
export function renderInsulator(opts: RenderOptions): InsulatorSample {
  const size = opts.size ?? DEFAULT_INSULATOR_SIZE;
  validate(opts, size);
  const scene = createRng(hashSeed(opts.seed, STREAM.scene));
  const canvas = createCanvas(size);
  paintBackground(canvas, scene.pick(BACKGROUND_KINDS), scene);
  const geometry = sampleGeometry(size, scene);
  const damage = sampleDamage(opts.cls, geometry, createRng(hashSeed(opts.seed, STREAM.defect)));
  const { shellMask, damageBox } = paintString(canvas, geometry, damage);
  let tagBox = null;
  if (opts.tag) {
    const free = geometry.inner.filter((k) => !damage?.shells.has(k));
    const shells = free.length > 0 ? free : geometry.inner;
    tagBox = paintTag(canvas, geometry, { shells, avoid: damageBox }, createRng(hashSeed(opts.seed, STREAM.tag)));
  }
  const camera = createRng(hashSeed(opts.seed, STREAM.camera));
  const passes = camera.pick([0, 0, 0, 1, 1, 2]);
  if (passes > 0) blur(canvas, passes);
  const exposure = camera.uniform(0.75, 1.2);
  const gain: [number, number, number] = [
    exposure * camera.uniform(0.93, 1.07),
    exposure * camera.uniform(0.95, 1.05),
    exposure * camera.uniform(0.93, 1.07),
  ];
  expose(canvas, gain, camera.uniform(0.005, 0.03), camera);
  return { image: toRgbaImage(canvas), cls: opts.cls, tag: opts.tag, tagBox, defectBox: damageBox, shellMask };
}

function validate(opts: RenderOptions, size: number): void {
  if (!Number.isInteger(size) || size < MIN_INSULATOR_SIZE || size > MAX_INSULATOR_SIZE) {
    throw new InsulatorOptionsError(`size must be an integer in [${MIN_INSULATOR_SIZE}, ${MAX_INSULATOR_SIZE}], got ${size}`);
  }
  if (!Number.isInteger(opts.seed)) throw new InsulatorOptionsError(`seed must be an integer, got ${opts.seed}`);
  if (!INSULATOR_CLASSES.includes(opts.cls)) {
    throw new InsulatorOptionsError(`class must be one of ${INSULATOR_CLASSES.join(', ')}, got ${String(opts.cls)}`);
  }
}
