/** Files from a drop (folders walked recursively, paths kept) or from a file input. */
import type { PathedFile } from '../actions/ingest';

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: PathedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const e of await readEntries(entry as FileSystemDirectoryEntry)) await walk(e, out);
  }
}

/** Every file of a drop; folder entries are walked so their paths can name the true class. */
export async function filesFromDrop(dt: DataTransfer): Promise<PathedFile[]> {
  const entries = Array.from(dt.items ?? [])
    .map((it) => (it.kind === 'file' && typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length && entries.some((e) => e.isDirectory)) {
    const out: PathedFile[] = [];
    for (const e of entries) await walk(e, out);
    return out;
  }
  return Array.from(dt.files).map((file) => ({ file, path: file.webkitRelativePath || '' }));
}

/** The files of an `<input type=file>` (with folder paths when it picked a directory). */
export function filesFromInput(input: HTMLInputElement): PathedFile[] {
  const files = Array.from(input.files ?? []).map((file) => ({ file, path: file.webkitRelativePath || '' }));
  input.value = '';
  return files;
}
