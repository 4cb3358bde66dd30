// Turns the probe's timing marks into phases. Each phase runs from the previous mark that was
// reached to its own mark, so the phases telescope: they always add up to the last mark reached.
import type { TimingMarks, TimingPhases } from '../records/handshake-record';

/** The marks in the order a handshake reaches them (`closed` is not a phase). */
const CHAIN = ['lookup', 'connect', 'secureConnect', 'firstByte', 'response', 'firstFrame'] as const;
type ChainMark = (typeof CHAIN)[number];

const PHASE_OF: Readonly<Record<ChainMark, keyof Omit<TimingPhases, 'totalMs'>>> = {
  lookup: 'dnsMs',
  connect: 'tcpMs',
  secureConnect: 'tlsMs',
  firstByte: 'waitMs',
  response: 'transferMs',
  firstFrame: 'firstFrameMs',
};

/**
 * dns = lookup − 0 (null without a lookup, e.g. a literal IP); tcp = connect − (lookup ?? 0);
 * tls = secureConnect − connect; wait = firstByte − (secureConnect ?? connect);
 * transfer = response − firstByte; firstFrame = firstFrame − response; totalMs = the last mark reached.
 */
export function timingPhases(marks: TimingMarks): TimingPhases {
  const phases: TimingPhases = {
    dnsMs: null,
    tcpMs: null,
    tlsMs: null,
    waitMs: null,
    transferMs: null,
    firstFrameMs: null,
    totalMs: 0,
  };
  let previous = 0;
  for (const name of CHAIN) {
    const at = marks[name];
    if (at === undefined) continue;
    phases[PHASE_OF[name]] = at - previous;
    previous = at;
  }
  phases.totalMs = previous;
  return phases;
}
