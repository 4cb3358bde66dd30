// The environment file an operator would write for the twin under each flavour: the contract's
// local.env, with the frontend's selectors and console line of that flavour's page. The suite
// learns a staging's frontend from its env file; nothing in the suite knows a flavour.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../support/run-script';

/** Settings that differ by frontend; a missing value means "not asserted" (the line is dropped). */
const FRONTEND_SETTINGS: Record<string, Record<string, string | null>> = {
  node: {},
  wsproto: {},
  'uvicorn-websockets': {
    UI_STATUS_SELECTOR: '"[data-testid=ws-status]"',
    UI_CONNECTED_TEXT: 'Connected',
    UI_INPUT_SELECTOR: '"[data-testid=chat-input]"',
    UI_SEND_SELECTOR: '"[data-testid=chat-send]"',
    UI_MESSAGES_SELECTOR: '"[data-testid=chat-messages]"',
    // This frontend opens the socket without a token and logs no skip line.
    FRONTEND_NO_TOKEN_CONSOLE: null,
  },
};

/** A folder holding local.env for the flavour (null: the repository's own environments/ serves). */
export function flavourEnvironmentsDir(flavour: string, dir: string): string | null {
  const changes = FRONTEND_SETTINGS[flavour];
  if (!changes) throw new Error(`no env settings for flavour ${flavour}`);
  if (Object.keys(changes).length === 0) return null;
  const lines = fs
    .readFileSync(path.join(ROOT, 'environments', 'local.env'), 'utf8')
    .split('\n')
    .filter((line) => !Object.keys(changes).some((key) => line.startsWith(`${key}=`)));
  for (const [key, value] of Object.entries(changes)) if (value !== null) lines.push(`${key}=${value}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'local.env'), `${lines.join('\n')}\n`);
  return dir;
}
