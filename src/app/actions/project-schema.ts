/**
 * The schema of a project file's project.json (valibot), checked before anything touches the store:
 * a project file is user input, perhaps hand-edited, truncated or hostile (prototype-pollution keys).
 * The shapes follow buildProject (project.ts); `version` 1 files (one map-only detector) still open.
 */
import * as v from 'valibot';
import { DETECTOR_INPUTS } from '../../core/audit/detector-input';
import { DEFAULT_AUDITOR_SETTINGS } from '../../core/audit/settings';

const Int = v.pipe(v.number(), v.integer());
const NonNegInt = v.pipe(Int, v.minValue(0));
const Finite = v.pipe(v.number(), v.finite());
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
/** Keys an object read from JSON must never set on a plain object. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const SafeKey = v.pipe(Id, v.check((k) => !FORBIDDEN_KEYS.has(k), 'is not allowed as an id'));
const Side = v.pipe(Int, v.minValue(1), v.maxValue(1024));

const ImageMetaSchema = v.object({
  id: SafeKey,
  name: v.pipe(v.string(), v.maxLength(4096)),
  width: NonNegInt,
  height: NonNegInt,
  truth: v.pipe(Int, v.minValue(-1)),
  tag: v.optional(v.string()),
  noPhoto: v.optional(v.boolean()),
});

// −1: unknown (maps made elsewhere without predictions.csv).
const ClassIndex = v.pipe(Int, v.minValue(-1));

const ExplanationSchema = v.object({
  predicted: ClassIndex,
  target: ClassIndex,
  confidence: v.optional(v.pipe(Finite, v.minValue(0), v.maxValue(1))),
  probs: v.pipe(v.array(Finite), v.maxLength(100_000)),
  faithfulness: v.nullish(Finite),
});

const ModelInfoSchema = v.object({
  name: v.string(),
  inputShape: v.tuple([Side, Side, v.pipe(Int, v.minValue(1), v.maxValue(4))]),
  classNames: v.array(v.string()),
  layer: v.string(),
  layers: v.array(v.string()),
});

/** A detector bundle's header (its weights are detector-N.bin; loadDetector checks them against weightSpecs). */
const BundleHeaderSchema = v.object({
  format: v.literal('apexp-deepsad'),
  version: v.literal(1),
  config: v.looseObject({ inputShape: v.tuple([NonNegInt, NonNegInt, NonNegInt]) }),
  c: v.array(Finite),
  weightSpecs: v.array(v.object({ name: v.string(), shape: v.array(NonNegInt) })),
});

/** Saved auditor settings: each field optional (merged over the defaults), each checked when present. */
const SettingsSchema = v.partial(
  v.object({
    input: v.picklist(DETECTOR_INPUTS),
    eta: v.pipe(Finite, v.minValue(0)),
    lr: v.pipe(Finite, v.gtValue(0)),
    batchSize: v.pipe(Int, v.minValue(1), v.maxValue(65_536)),
    trainSteps: v.pipe(Int, v.minValue(0), v.maxValue(1_000_000)),
    aeSteps: v.pipe(Int, v.minValue(0), v.maxValue(1_000_000)),
    ensemble: v.pipe(Int, v.minValue(1), v.maxValue(32)),
    seed: v.pipe(Int, v.minValue(0), v.maxValue(2 ** 32 - 1)),
    updateSteps: v.pipe(Int, v.minValue(0), v.maxValue(100_000)),
    updateUnlabeled: v.pipe(Int, v.minValue(0), v.maxValue(1_000_000)),
    updateLabeled: v.pipe(Int, v.minValue(0), v.maxValue(1_000_000)),
    // deepsad and learn came with the learnt ranking: a project written before gets today's defaults for them.
    ranking: v.object({
      deepsad: v.optional(Finite, DEFAULT_AUDITOR_SETTINGS.ranking.deepsad),
      vote: Finite,
      bandwidth: v.pipe(Finite, v.gtValue(0)),
      confidence: Finite,
      learn: v.optional(v.nullable(v.object({ precision: v.pipe(Finite, v.gtValue(0)), byClass: v.boolean() })), () => structuredClone(DEFAULT_AUDITOR_SETTINGS.ranking.learn)),
    }),
  }),
);

const SourceSchema = v.nullable(
  v.variant('kind', [
    v.object({ kind: v.literal('demo'), n: NonNegInt, seed: Int, size: Side }),
    v.object({ kind: v.literal('files') }),
    v.object({ kind: v.literal('imported'), format: v.picklist(['png', 'npy', 'explanations']), classNames: v.array(v.string()), predictions: v.boolean() }),
  ]),
);

/** project.json as buildProject writes it (v2) or an earlier build did (v1). */
export const ProjectJsonSchema = v.object({
  format: v.literal('apexp-project'),
  version: v.picklist([1, 2]),
  images: v.array(ImageMetaSchema),
  explained: v.array(SafeKey),
  hasPatch: v.optional(v.array(v.picklist([0, 1]))),
  explanations: v.array(ExplanationSchema),
  heatmapSize: v.tuple([Side, Side]),
  models: v.array(ModelInfoSchema),
  activeModel: v.nullish(v.string()),
  explainOptions: v.optional(v.unknown()),
  source: v.optional(SourceSchema),
  labels: v.record(SafeKey, v.picklist(['normal', 'anomalous'])),
  scores: v.record(SafeKey, v.number()),
  budget: v.pipe(Finite, v.minValue(0), v.maxValue(1)),
  settings: v.optional(SettingsSchema),
  losses: v.optional(v.array(v.object({ step: NonNegInt, stage: v.picklist(['pretrain', 'train', 'fineTune']), epoch: NonNegInt, loss: v.number() }))),
  detector: v.nullish(BundleHeaderSchema),
  detectors: v.optional(v.array(BundleHeaderSchema)),
});

/** A checked project.json. */
export type ProjectJson = v.InferOutput<typeof ProjectJsonSchema>;

/**
 * Parses and checks project.json's text, then what the schema alone cannot say (counts that must
 * agree, ids that must exist).
 * @returns the project, or the first problem as one line (`path: message`)
 */
export function checkProjectJson(text: string): { ok: true; project: ProjectJson } | { ok: false; problem: string } {
  let raw: unknown;
  let forbidden: string | null = null;
  try {
    // valibot's records skip such keys silently; a file that holds one is refused instead, by name.
    raw = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch {
    return { ok: false, problem: 'project.json is not JSON' };
  }
  if (forbidden) return { ok: false, problem: `project.json: the key ${JSON.stringify(forbidden)} is not allowed anywhere` };
  const r = v.safeParse(ProjectJsonSchema, raw);
  if (!r.success) {
    const issue = r.issues[0];
    const path = v.getDotPath(issue);
    return { ok: false, problem: `project.json${path ? `: ${path}` : ''}: ${issue.message}` };
  }
  const p = r.output;
  const ids = new Set<string>();
  for (const m of p.images) {
    if (ids.has(m.id)) return { ok: false, problem: `project.json: images: duplicate id ${JSON.stringify(m.id)}` };
    ids.add(m.id);
  }
  if (p.explained.length !== p.explanations.length) return { ok: false, problem: `project.json: ${p.explained.length} explained ids but ${p.explanations.length} explanations` };
  if (p.hasPatch && p.hasPatch.length !== p.explained.length) return { ok: false, problem: `project.json: hasPatch has ${p.hasPatch.length} entries for ${p.explained.length} explanations` };
  const unknown = p.explained.find((id) => !ids.has(id)) ?? Object.keys(p.labels).find((id) => !ids.has(id));
  if (unknown !== undefined) return { ok: false, problem: `project.json: ${JSON.stringify(unknown)} is not among its images` };
  return { ok: true, project: p };
}
