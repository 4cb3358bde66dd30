// Playwright's trace records the context's network log, WebSocket upgrades included, with their
// request headers: Sec-WebSocket-Protocol carries the token (`jwt.<base64url(jwt)>`). Passing the
// token through storageState keeps it out of the trace's actions, not out of that log. So each
// trace is rewritten once written, its text entries redacted, before anything copies it
// (attachments, the HTML report, Allure). Binary entries (screenshots) are copied as they are.
import fs from 'node:fs';
import yauzl from 'yauzl';
import { writeZip } from './zip-writer';

/** Entries holding text: the event logs, network log, stacks, frame logs, DOM snapshots. */
const TEXT_ENTRY = /\.(trace|network|stacks|jsonl|json|html|txt|css|js)$/;

export interface ScrubResult {
  entries: number;
  /** Text entries whose content redaction changed. */
  changed: number;
}

/** Rewrites the trace zip at `file` with every text entry passed through `redact`. */
export async function scrubTrace(file: string, redact: (text: string) => string): Promise<ScrubResult> {
  const zip = await yauzl.fromBufferPromise(fs.readFileSync(file), { lazyEntries: true });
  const out: Array<{ name: string; data: Buffer }> = [];
  let changed = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      let data = await readAll(await zip.openReadStreamPromise(entry));
      if (TEXT_ENTRY.test(entry.fileName)) {
        const text = data.toString('utf8');
        const clean = redact(text);
        if (clean !== text) {
          changed++;
          data = Buffer.from(clean, 'utf8');
        }
      }
      out.push({ name: entry.fileName, data });
    }
  } finally {
    zip.close();
  }
  // Written beside, then renamed: a reader never sees half a trace.
  const tmp = `${file}.scrub`;
  fs.writeFileSync(tmp, writeZip(out));
  fs.renameSync(tmp, file);
  return { entries: out.length, changed };
}

/** The whole of a stream (a zip entry), as one buffer. */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}
