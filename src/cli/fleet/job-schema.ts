/**
 * The payloads the coordinator puts on the queue and the workers take off it, validated with valibot
 * on both sides: a job from another version of apexp (or hand-made) is failed at once with a one-line
 * reason, never half-run. Paths are as the workers see them (a file system every machine shares).
 */
import * as v from 'valibot';
import { CAM_METHODS } from '../../core/gradcam/cam-methods';
import { DETECTOR_INPUTS } from '../../core/audit/detector-input';
import { NORMALIZATIONS } from '../../core/classifier/metadata';
import { FleetError } from './errors';

/** Version of the payloads below; a worker refuses jobs of another version. */
export const JOB_VERSION = 1;

/** BullMQ job names (one queue holds both kinds). */
export const JOB_NAMES = ['explain', 'score'] as const;

const count = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));
const key = v.pipe(v.string(), v.regex(/^[0-9a-f]{16,64}$/, 'a hex content key'));
const nonEmpty = v.pipe(v.string(), v.minLength(1));

/** How the images of a shard are explained: `apexp explain`'s options, as resolved by the coordinator. */
export const ExplainSettingsSchema = v.object({
  layer: v.optional(v.string()),
  method: v.picklist(CAM_METHODS),
  target: v.union([v.literal('predicted'), count(0)]),
  /** [h, w] of the heatmaps. */
  size: v.tuple([count(1), count(1)]),
  /** Images per Grad-CAM batch. */
  batch: count(1),
  normalize: v.optional(v.picklist(NORMALIZATIONS)),
  resize: v.picklist(['stretch', 'center-crop']),
  faithfulness: v.boolean(),
  peakPatches: v.boolean(),
});

/** Explain one shard: decode, Grad-CAM, faithfulness and peak patch of each image; write the shard file. */
export const ExplainJobSchema = v.object({
  version: v.literal(JOB_VERSION),
  kind: v.literal('explain'),
  /** Content key of the shard (model hash, settings, image ids and paths): the job id and the file name. */
  key,
  /** Index of the shard in the coordinator's plan (for messages). */
  shard: count(0),
  /** model.json path. */
  model: nonEmpty,
  /** sha256 of the model's files, checked by the worker: a model changed under a running audit is an error. */
  modelHash: key,
  /** The images, in plan order: id (relative to the images root) and path. */
  entries: v.pipe(v.array(v.object({ id: nonEmpty, path: nonEmpty })), v.minLength(1)),
  settings: ExplainSettingsSchema,
  /** Shared directory the result file goes to. */
  outDir: nonEmpty,
});

/** Score one explained shard with a detector, named by its content hash (fetched once per worker). */
export const ScoreJobSchema = v.object({
  version: v.literal(JOB_VERSION),
  kind: v.literal('score'),
  key,
  shard: count(0),
  /** The explain shard file to score. */
  explained: nonEmpty,
  /** Detector directory (one member, or an audit's ensemble) and its content hash. */
  detector: v.object({ dir: nonEmpty, hash: key }),
  input: v.picklist(DETECTOR_INPUTS),
  outDir: nonEmpty,
});

export type ExplainSettings = v.InferOutput<typeof ExplainSettingsSchema>;
export type ExplainJob = v.InferOutput<typeof ExplainJobSchema>;
export type ScoreJob = v.InferOutput<typeof ScoreJobSchema>;
export type FleetJob = ExplainJob | ScoreJob;

const FleetJobSchema = v.variant('kind', [ExplainJobSchema, ScoreJobSchema]);

/**
 * Validates a job payload. @throws FleetError('bad-job') naming the first bad field
 */
export function parseJob(data: unknown): FleetJob {
  const r = v.safeParse(FleetJobSchema, data);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const path = v.getDotPath(issue) ?? '(payload)';
  throw new FleetError('bad-job', `bad job payload: ${path}: ${issue.message}`);
}
