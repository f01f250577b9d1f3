/** Why a classifier could not be loaded or used; stable across releases, safe to switch on. */
export type ClassifierErrorCode =
  | 'model-shape'
  | 'model-load'
  | 'missing-weights'
  | 'load-timeout'
  | 'layer-not-found'
  | 'needs-execute-async'
  | 'bad-metadata';

/** Base of every classifier error: a `name`, a `code`, and a one-line message fit for a CLI or a toast. */
export class ClassifierError extends Error {
  override name = 'ClassifierError';
  constructor(
    readonly code: ClassifierErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The model's input cannot take images (not [batch, h, w, c] with c ∈ {1, 3, 4}), or its output is not [batch, classes]. */
export class ModelShapeError extends ClassifierError {
  override name = 'ModelShapeError';
  constructor(message: string) {
    super('model-shape', message);
  }
}

/**
 * The model could not be read: unparsable model.json (`model-load`), a weight file named in the
 * manifest that is absent or short (`missing-weights`, `file` names it), or a load that took longer
 * than the timeout (`load-timeout`).
 */
export class ModelLoadError extends ClassifierError {
  override name = 'ModelLoadError';
  constructor(
    code: 'model-load' | 'missing-weights' | 'load-timeout',
    message: string,
    /** The missing weight file, for `missing-weights`. */
    readonly file?: string,
  ) {
    super(code, message);
  }
}

/** A requested target layer (or graph node) does not exist or has no 4-D output; `candidates` lists the valid names. */
export class LayerNotFoundError extends ClassifierError {
  override name = 'LayerNotFoundError';
  constructor(
    readonly layer: string,
    readonly candidates: readonly string[],
  ) {
    const shown = candidates.length > 12 ? [...candidates.slice(0, 4), '…', ...candidates.slice(-8)] : candidates;
    super('layer-not-found', `no layer "${layer}" with a 4-D activation; candidates: ${shown.join(', ') || '(none)'}`);
  }
}

/** A GraphModel with control flow or dynamic ops needs `executeAsync`, which `tf.grad` cannot trace. */
export class UnsupportedModelError extends ClassifierError {
  override name = 'UnsupportedModelError';
  constructor(message: string) {
    super('needs-execute-async', message);
  }
}

/** metadata.json is not an object or has a field of the wrong type. */
export class MetadataError extends ClassifierError {
  override name = 'MetadataError';
  constructor(message: string) {
    super('bad-metadata', message);
  }
}
