// Readers (CI, bots, the repro's exit code) may look at report files while a run ends:
// write to a temp file in the same directory, then rename, so they see all or nothing.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temp, content);
  renameSync(temp, file);
}
