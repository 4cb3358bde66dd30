// Handshakes with a fixed number in flight (a closed loop: each worker starts its next one
// when its last one settled), counted by outcome. Counts, not timings, are what a test of
// capacity can assert on without depending on the machine's speed.
import { handshake, type WsOutcome } from './ws-client';

export interface LoopCounts {
  attempts: number;
  opened: number;
  refused403: number;
  other: number;
  /** Each distinct refusal seen, as `server header | body`. */
  refusalShapes: string[];
}

export async function closedLoop(wsUrl: string, protocols: string[], inFlight: number, attempts: number): Promise<LoopCounts> {
  const counts: LoopCounts = { attempts: 0, opened: 0, refused403: 0, other: 0, refusalShapes: [] };
  const tally = (out: WsOutcome) => {
    if (out.kind === 'open') counts.opened++;
    else if (out.kind === 'refused' && out.status === 403) {
      counts.refused403++;
      const shape = `${out.headers.server ?? '-'} | ${out.body}`;
      if (!counts.refusalShapes.includes(shape)) counts.refusalShapes.push(shape);
    }
    else counts.other++;
  };
  const worker = async () => {
    while (counts.attempts < attempts) {
      counts.attempts++;
      tally(await handshake(wsUrl, { protocols, timeoutMs: 6000 }));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return counts;
}
