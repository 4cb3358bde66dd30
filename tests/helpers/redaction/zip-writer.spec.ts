import { expect, test } from '@playwright/test';
import yauzl from 'yauzl';
import { readAll } from '../../../helpers/redaction/trace-scrub';
import { writeZip } from '../../../helpers/redaction/zip-writer';

function readZip(buf: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out: Record<string, string> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          readAll(stream).then((data) => {
            out[entry.fileName] = data.toString('utf8');
            zip.readEntry();
          }, reject);
        });
      });
      zip.once('end', () => resolve(out));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

test('a written zip reads back entry for entry, UTF-8 names and empty entries included', async () => {
  const entries = { 'trace.trace': '{"type":"before"}\n'.repeat(50), 'resources/é.json': '{"ok":true}', 'empty.txt': '' };
  const buf = writeZip(Object.entries(entries).map(([name, text]) => ({ name, data: Buffer.from(text) })));
  expect(await readZip(buf)).toEqual(entries);
});

test('entries carry a valid date (1980-01-01), not the all-zero 1980-00-00', async () => {
  const zip = await yauzl.fromBufferPromise(writeZip([{ name: 'a.txt', data: Buffer.from('a') }]), { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      expect([entry.lastModFileDate, entry.lastModFileTime]).toEqual([(1 << 5) | 1, 0]);
    }
  } finally {
    zip.close();
  }
});
