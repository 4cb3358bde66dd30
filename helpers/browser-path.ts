// Finds the Chromium to drive, in one place. (Initial version; see issue #2.)
import fs from 'node:fs';

export function resolveChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('No Chromium found: run `apt-get install -y chromium` or `npx playwright install chromium`, or set CHROMIUM_PATH');
  return found;
}
