import { test, expect } from '@playwright/test';
import type { TimingMarks, TimingPhases } from '../../../helpers/records/handshake-record';
import { timingPhases } from '../../../helpers/channels/handshake-timing';

const ROWS: Array<[name: string, marks: TimingMarks, phases: TimingPhases]> = [
  [
    'wss with DNS and a first frame',
    { lookup: 2, connect: 5, secureConnect: 12, firstByte: 20, response: 21, firstFrame: 25, closed: 40 },
    { dnsMs: 2, tcpMs: 3, tlsMs: 7, waitMs: 8, transferMs: 1, firstFrameMs: 4, totalMs: 25 },
  ],
  [
    'ws to a literal IP, refused (no lookup, no TLS, no frame)',
    { connect: 1, firstByte: 4, response: 4.5, closed: 6 },
    { dnsMs: null, tcpMs: 1, tlsMs: null, waitMs: 3, transferMs: 0.5, firstFrameMs: null, totalMs: 4.5 },
  ],
  [
    'black hole: connected, never answered',
    { connect: 1, closed: 500 },
    { dnsMs: null, tcpMs: 1, tlsMs: null, waitMs: null, transferMs: null, firstFrameMs: null, totalMs: 1 },
  ],
  [
    'DNS failure: only the lookup',
    { lookup: 3, closed: 4 },
    { dnsMs: 3, tcpMs: null, tlsMs: null, waitMs: null, transferMs: null, firstFrameMs: null, totalMs: 3 },
  ],
  ['nothing reached', {}, { dnsMs: null, tcpMs: null, tlsMs: null, waitMs: null, transferMs: null, firstFrameMs: null, totalMs: 0 }],
];

for (const [name, marks, phases] of ROWS) {
  test(`timingPhases: ${name}`, () => {
    const got = timingPhases(marks);
    expect(got).toEqual(phases);
    const sum = [got.dnsMs, got.tcpMs, got.tlsMs, got.waitMs, got.transferMs, got.firstFrameMs].reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(sum).toBeCloseTo(got.totalMs, 9);
  });
}
