import * as tf from '@tensorflow/tfjs';
import type { Box, RgbaImage } from '../data/image';
import type { Normalization } from './metadata';

/** How an image of another aspect ratio is fitted to the model input: `stretch` it, or `center-crop` the largest centred region of the input's aspect ratio first. */
export type ResizeMode = 'stretch' | 'center-crop';

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** The centred crop box [y0, x0, h, w] of `image` with the aspect ratio h/w of the target. */
function cropBox(image: RgbaImage, h: number, w: number): [number, number, number, number] {
  const scale = Math.min(image.width / w, image.height / h);
  const ch = Math.max(1, Math.round(h * scale));
  const cw = Math.max(1, Math.round(w * scale));
  return [Math.floor((image.height - ch) / 2), Math.floor((image.width - cw) / 2), ch, cw];
}

/** The pixels of `image` the model input [h, w] is made from (x1/y1 exclusive): all of it for `stretch`, the centred crop for `center-crop`. */
export function inputRegion(image: RgbaImage, h: number, w: number, resize: ResizeMode): Box {
  if (resize === 'stretch') return { x0: 0, y0: 0, x1: image.width, y1: image.height };
  const [y0, x0, ch, cw] = cropBox(image, h, w);
  return { x0, y0, x1: x0 + cw, y1: y0 + ch };
}

/** Pixel values 0–255 [.., c] → the model's input range. */
function normalize(x: tf.Tensor, c: number, normalization: Normalization): tf.Tensor {
  switch (normalization) {
    case 'none':
      return x;
    case 'unit':
      return x.div(255);
    case 'signed':
      return x.div(127.5).sub(1);
    case 'imagenet': {
      const mean = c === 3 ? IMAGENET_MEAN : c === 1 ? [0.449] : [...IMAGENET_MEAN, 0];
      const std = c === 3 ? IMAGENET_STD : c === 1 ? [0.226] : [...IMAGENET_STD, 1];
      return x.div(255).sub(tf.tensor1d(mean)).div(tf.tensor1d(std));
    }
  }
}

/**
 * Decoded images → one model input batch [n, h, w, c] (float32).
 *
 * Each image is resized bilinearly (half-pixel centres) to [h, w] (after a centred crop to the
 * target aspect ratio for `center-crop`); channels are RGB for c = 3, RGBA for c = 4 and luma
 * (0.299 R + 0.587 G + 0.114 B) for c = 1; then values are normalised (see {@link Normalization}).
 *
 * @param inputShape the classifier's [h, w, c]
 */
export function toInputTensor(
  images: RgbaImage[],
  inputShape: [number, number, number],
  normalization: Normalization,
  resize: ResizeMode = 'stretch',
): tf.Tensor4D {
  const [h, w, c] = inputShape;
  return tf.tidy(() => {
    const one = images.map((img) => {
      let t: tf.Tensor3D = tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 4]);
      if (resize === 'center-crop') {
        const [y0, x0, ch, cw] = cropBox(img, h, w);
        t = t.slice([y0, x0, 0], [ch, cw, 4]);
      }
      if (t.shape[0] !== h || t.shape[1] !== w) t = tf.image.resizeBilinear(t, [h, w], false, true);
      if (c === 3) t = t.slice([0, 0, 0], [h, w, 3]);
      else if (c === 1) t = t.slice([0, 0, 0], [h, w, 3]).mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(-1, true) as tf.Tensor3D;
      return t;
    });
    return normalize(tf.stack(one), c, normalization) as tf.Tensor4D;
  });
}
