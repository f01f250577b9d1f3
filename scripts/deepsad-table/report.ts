/** The table of `npm run bench:deepsad-table`: per-class mean AUC per γ_l, dataset means next to the paper's. */
import type { TableDataset } from './jobs';

/** One row of bench-results/deepsad-table.json. */
export interface TableRow {
  dataset: TableDataset;
  normal_class: number;
  known_outlier_class: number;
  ratio_known_outlier: number;
  ratio_pollution: number;
  seed: number;
  auc: number;
  /** Wall seconds of the run (loading, split, training, scoring). */
  seconds: number;
}

/** Deep SAD's mean AUC (%) over the 90 experiments per dataset in Ruff et al. 2020, Table 2 (as quoted in shared/notes/papers.md §2.10). */
export const PAPER_MEANS: Readonly<Record<TableDataset, Readonly<Record<string, number>>>> = {
  mnist: { '0.01': 96.4, '0.05': 96.7 },
  'fashion-mnist': { '0.01': 90.0, '0.05': 90.5 },
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]): number => {
  const m = mean(xs);
  return xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
};
const pct = (x: number): string => (100 * x).toFixed(1);

/** Summary of one (dataset, γ_l) cell. */
export interface TableSummary {
  dataset: TableDataset;
  ratio_known_outlier: number;
  runs: number;
  /** Mean and standard deviation over the runs (AUC in [0, 1]). */
  mean: number;
  std: number;
  /** Mean over the runs of each normal class. */
  per_class: { normal_class: number; mean: number; runs: number }[];
  paper_mean: number | null;
}

/** Summaries per (dataset, γ_l), in the order the rows first name them. */
export function summarise(rows: readonly TableRow[]): TableSummary[] {
  const keys: string[] = [];
  for (const r of rows) {
    const k = `${r.dataset}|${r.ratio_known_outlier}`;
    if (!keys.includes(k)) keys.push(k);
  }
  return keys.map((k) => {
    const [dataset, gl] = k.split('|') as [TableDataset, string];
    const cell = rows.filter((r) => r.dataset === dataset && String(r.ratio_known_outlier) === gl);
    const classes = [...new Set(cell.map((r) => r.normal_class))].sort((a, b) => a - b);
    return {
      dataset,
      ratio_known_outlier: Number(gl),
      runs: cell.length,
      mean: mean(cell.map((r) => r.auc)),
      std: std(cell.map((r) => r.auc)),
      per_class: classes.map((c) => {
        const aucs = cell.filter((r) => r.normal_class === c).map((r) => r.auc);
        return { normal_class: c, mean: mean(aucs), runs: aucs.length };
      }),
      paper_mean: PAPER_MEANS[dataset]?.[String(Number(gl))] ?? null,
    };
  });
}

/** The markdown table: one line per normal class, one column per (dataset, γ_l), then the means and the paper's. */
export function markdownTable(rows: readonly TableRow[]): string {
  const s = summarise(rows);
  const head = s.map((c) => `${c.dataset} γ_l ${c.ratio_known_outlier}`);
  const classes = [...new Set(rows.map((r) => r.normal_class))].sort((a, b) => a - b);
  const lines = [`| normal class | ${head.join(' | ')} |`, `|---|${head.map(() => '---').join('|')}|`];
  for (const c of classes) {
    lines.push(`| ${c} | ${s.map((cell) => {
      const pc = cell.per_class.find((p) => p.normal_class === c);
      return pc ? pct(pc.mean) : '–';
    }).join(' | ')} |`);
  }
  lines.push(`| **mean ± std** | ${s.map((c) => `**${pct(c.mean)}** ± ${pct(c.std)}`).join(' | ')} |`);
  lines.push(`| paper (Ruff et al. 2020) | ${s.map((c) => (c.paper_mean === null ? '–' : c.paper_mean.toFixed(1))).join(' | ')} |`);
  lines.push(`| weakest class | ${s.map((c) => {
    const w = [...c.per_class].sort((a, b) => a.mean - b.mean)[0];
    return `${w.normal_class}: ${pct(w.mean)}`;
  }).join(' | ')} |`);
  return lines.join('\n');
}
