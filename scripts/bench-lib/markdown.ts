/** BENCHMARKS.md sections written by the benchmarks. */
import { readFile, writeFile } from 'node:fs/promises';

/** Replaces the body of the `heading` section of a markdown file (up to the next `## `); appends the section when it is missing. */
export async function replaceSection(file: string, heading: string, body: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) return writeFile(file, `${text.trimEnd()}\n\n${heading}\n\n${body.trim()}\n`);
  const lineEnd = text.indexOf('\n', start) + 1;
  const next = text.indexOf('\n## ', lineEnd);
  const end = next < 0 ? text.length : next + 1;
  await writeFile(file, `${text.slice(0, lineEnd)}\n${body.trim()}\n\n${text.slice(end)}`);
}
