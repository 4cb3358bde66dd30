// Playwright's trace records the context's network log, WebSocket upgrades included, with their
// request headers: Sec-WebSocket-Protocol carries the token (`jwt.<base64url(jwt)>`). Passing the
// token through storageState keeps it out of the trace's actions, not out of that log. So each
// trace is rewritten once written, its text entries redacted, before anything copies it
// (attachments, the HTML report, Allure). Binary entries (screenshots) are copied as they are.
import { crc32, deflateRawSync } from 'node:zlib';
import fs from 'node:fs';
import yauzl from 'yauzl';

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

/** A plain zip (deflate, no zip64: traces stay far below 4 GiB), readable by the trace viewer. */
function writeZip(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBuf.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBuf, packed);
    central.push(header, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
