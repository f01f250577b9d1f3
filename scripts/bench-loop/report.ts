/** bench:loop's outputs: bench-results/loop.json (the schema) and its markdown table. */
import type { Curve } from './simulate';

/** One classifier on one seed. */
export interface LoopRun {
  seed: number;
  classifier: string;
  n_test: number;
  n_anomalies: number;
  n_shortcut: number;
  strategies: Record<string, Curve>;
  /** Wall seconds per strategy. */
  seconds: Record<string, number>;
}

/** bench-results/loop.json: means over the seeds run, per classifier, plus the runs themselves. */
export interface LoopJson {
  seeds: number[];
  rounds: number;
  per_round: number;
  classifiers: Record<string, { n_test: number; n_anomalies: number; n_shortcut: number; strategies: Record<string, Curve>; seconds: Record<string, number>; per_seed: LoopRun[] }>;
  seconds: number;
  command: string;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Means over the seeds, per classifier and strategy (round by round). */
export function summarise(runs: readonly LoopRun[], o: { seeds: number[]; rounds: number; perRound: number; seconds: number; command: string }): LoopJson {
  const classifiers: LoopJson['classifiers'] = {};
  for (const name of [...new Set(runs.map((r) => r.classifier))]) {
    const rs = runs.filter((r) => r.classifier === name);
    const strategies: Record<string, Curve> = {};
    const seconds: Record<string, number> = {};
    for (const k of Object.keys(rs[0].strategies)) {
      strategies[k] = {
        found: rs[0].strategies[k].found.map((_, i) => mean(rs.map((r) => r.strategies[k].found[i]))),
        shortcut_found: rs[0].strategies[k].shortcut_found.map((_, i) => mean(rs.map((r) => r.strategies[k].shortcut_found[i]))),
      };
      seconds[k] = Math.round(mean(rs.map((r) => r.seconds[k])));
    }
    classifiers[name] = { n_test: mean(rs.map((r) => r.n_test)), n_anomalies: mean(rs.map((r) => r.n_anomalies)), n_shortcut: mean(rs.map((r) => r.n_shortcut)), strategies, seconds, per_seed: [...rs] };
  }
  return { seeds: o.seeds, rounds: o.rounds, per_round: o.perRound, classifiers, seconds: o.seconds, command: o.command };
}

/** The goals of issue 12 for one classifier after the last round, each with its verdict. */
export function loopGoals(c: LoopJson['classifiers'][string]): { text: string; met: boolean }[] {
  const last = (k: string, f: 'found' | 'shortcut_found' = 'found') => c.strategies[k]?.[f].at(-1) ?? NaN;
  const goals = [
    { text: `loop finds more than confidence (${last('loop').toFixed(1)} vs ${last('confidence').toFixed(1)})`, met: last('loop') > last('confidence') },
    { text: `loop ≥ 3× random (${last('loop').toFixed(1)} vs ${(3 * last('random')).toFixed(1)})`, met: last('loop') >= 3 * last('random') },
    { text: `loop ≥ 2× confidence's shortcut cases (${last('loop', 'shortcut_found').toFixed(1)} vs ${(2 * last('confidence', 'shortcut_found')).toFixed(1)})`, met: last('loop', 'shortcut_found') >= 2 * last('confidence', 'shortcut_found') },
    { text: `loop finds more than Deep SAD without labels (${last('loop').toFixed(1)} vs ${last('deepsad_unlabeled').toFixed(1)})`, met: last('loop') > last('deepsad_unlabeled') },
  ];
  if (c.strategies.loop_full) goals.push({ text: `bounded update within 5% of full retrains (${last('loop').toFixed(1)} vs ${last('loop_full').toFixed(1)})`, met: last('loop') >= 0.95 * last('loop_full') });
  return goals.filter((g) => !g.text.includes('NaN'));
}

/** The markdown section: per classifier, the found / shortcut-found after each round per strategy, and the goals. */
export function loopMarkdown(j: LoopJson): string {
  const lines = [`Command: \`${j.command}\` (${j.seconds} s wall). Seeds ${j.seeds.join(', ')}; ${j.rounds} rounds of ${j.per_round} reviewed; means over the seeds.`, ''];
  for (const [name, c] of Object.entries(j.classifiers)) {
    lines.push(`### ${name} (${c.n_test} test images, ${c.n_anomalies.toFixed(1)} anomalous of which ${c.n_shortcut.toFixed(1)} shortcut cases, per seed)`, '');
    const rounds = c.strategies[Object.keys(c.strategies)[0]].found.length;
    lines.push(`| strategy | ${Array.from({ length: rounds }, (_, r) => `${(r + 1) * j.per_round}`).join(' | ')} | shortcut found | seconds |`);
    lines.push(`|---|${'---|'.repeat(rounds + 2)}`);
    for (const [k, cv] of Object.entries(c.strategies)) lines.push(`| ${k} | ${cv.found.map((v) => v.toFixed(1)).join(' | ')} | ${cv.shortcut_found.at(-1)?.toFixed(1)} | ${c.seconds[k] ?? ''} |`);
    const goals = loopGoals(c);
    if (goals.length) lines.push('', ...goals.map((g) => `- ${g.met ? 'met' : '**missed**'}: ${g.text}`));
    lines.push('');
  }
  return lines.join('\n');
}
