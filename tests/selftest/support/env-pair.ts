// One local.env-style text written as any environment but `local` must be kept: NAME.env without
// its secrets, NAME.local.env with them (environments/load.ts refuses a secret in NAME.env). Lets a
// self-test put several environments, each its own project and twin, into ONE `npm run repro`.
import fs from 'node:fs';
import path from 'node:path';
import { SECRET_VARIABLES } from '../../../environments/schema';

/** A `KEY=…` line of a secret variable (a byte-order mark before the first line does not hide it). */
const isSecretLine = (line: string) => SECRET_VARIABLES.some((key) => line.replace(/^\uFEFF/, '').startsWith(`${key}=`));

/** Writes `dir/NAME.env` and `dir/NAME.local.env` from `text`, line ends (CRLF too) kept as they are. */
export function writeEnvPair(dir: string, name: string, text: string): void {
  const lines = text.split('\n');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.env`), lines.filter((l) => !isSecretLine(l)).join('\n'));
  fs.writeFileSync(path.join(dir, `${name}.local.env`), `${lines.filter(isSecretLine).join('\n')}\n`);
}
