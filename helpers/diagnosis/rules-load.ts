// Many valid handshakes: the ramp compares one concurrency with another. Refusals already with
// one handshake in flight, at a steady rate, mean a bad instance; refusals that appear only from
// k in flight mean the target fails under load. A repeat of one probe under identical conditions
// that came out differently is the smallest form of the same comparison.
import { describeBurst, describeRate, describeRecord } from './describe';
import type { RampStep, RawRecord } from '../records/handshake-record';
import { wilsonInterval } from '../channels/burst-stats';
import { type Ctx, type Rule, verdict } from './context';
import { signatureOf } from './signature';

const ms = (n: number | null) => (n === null ? '?' : `${Math.round(n)} ms`);

function describeStep(s: RampStep): string {
  const timing = s.refused ? `; refusals answered after p50 ${ms(s.refusalP50Ms)}, all attempts p50 ${ms(s.p50Ms)} / p95 ${ms(s.p95Ms)}` : `; p50 ${ms(s.p50Ms)} / p95 ${ms(s.p95Ms)}`;
  return `${s.concurrency} in flight: ${describeRate(s)}${timing}`;
}

function sequentialSteps(c: Ctx): RampStep[] {
  return c.e.ramp?.steps.filter((s) => s.concurrency === 1) ?? [];
}

/** The c = 1 steps merged: counts only (a rate over all sequential attempts). */
function pooled(steps: RampStep[]): { attempts: number; notOpened: number; opened: number } {
  return steps.reduce((a, s) => ({ attempts: a.attempts + s.attempts, notOpened: a.notOpened + (s.attempts - s.opened), opened: a.opened + s.opened }), { attempts: 0, notOpened: 0, opened: 0 });
}

export const intermittent: Rule = {
  name: 'intermittent-refusals',
  needs: 'the ramp, one handshake in flight: some valid handshakes refused, others opened (or a plain burst with both)',
  run(c) {
    const seq = sequentialSteps(c);
    const p = pooled(seq);
    if (seq.length && p.notOpened > 0 && p.opened > 0) {
      const first = seq.find((s) => s.attempts > s.opened) ?? seq[0];
      return verdict(
        'intermittent-refusals',
        `Valid handshakes made one at a time are refused at a steady rate (${first ? describeRate(first) : `${p.notOpened} of ${p.attempts}`}); the others connect: one instance behind the balancer is likely broken.`,
        [
          ...(c.e.ramp?.steps.map(describeStep) ?? []),
          first?.firstRefusal && `first refusal: ${describeRecord(first.firstRefusal)}`,
          first?.firstOpen && `first success: ${describeRecord(first.firstOpen)}`,
        ],
        'high',
        { decidedBy: 'one handshake in flight already refuses some valid tokens and opens others: not load, a steady share' },
      );
    }
    const b = c.e.burst;
    if (!c.e.ramp && b && b.opened > 0 && b.opened < b.attempts) {
      return verdict(
        'intermittent-refusals',
        `${describeRate(b)}; the other valid handshakes connect — one instance behind the balancer is likely broken.`,
        [describeBurst(b), b.firstRefusal && `first refusal: ${describeRecord(b.firstRefusal)}`, b.firstOpen && `first success: ${describeRecord(b.firstOpen)}`],
        'medium',
      );
    }
    return null;
  },
};

export const underLoad: Rule = {
  name: 'refusals-under-load',
  needs: 'the ramp: no refusal with one handshake in flight, refusals from k in flight on; decided when the rate at k is above what one at a time could have hidden',
  run(c) {
    const ramp = c.e.ramp;
    if (!ramp) return null;
    const seq = sequentialSteps(c);
    const base = pooled(seq);
    if (!seq.length || base.notOpened > 0) return null;
    const loaded = ramp.steps.filter((s) => s.concurrency > 1 && s.attempts > s.opened);
    const first = loaded[0];
    if (!first) return null;
    // One at a time, 0 of n refused still allows a rate up to the interval's top: a bad instance
    // that rare could first show at k. Load is decided only when k's rate is clearly above that.
    const hidden = wilsonInterval(0, base.attempts, first.interval.confidence).high;
    const decided = first.interval.low > hidden;
    const slowRefusals = first.refusalP50Ms !== null && first.refusalP50Ms > 3 * first.p50Ms;
    const timing = slowRefusals
      ? `; refusals arrive after p50 ${ms(first.refusalP50Ms)} against ${ms(first.p50Ms)} for all attempts: the backend waited on a deadline (its auth dependency timing out), it did not reject at once`
      : '';
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    const comparison = `one in flight: 0 of ${base.attempts} refused (a hidden rate of at most ${pct(hidden)}); ${first.concurrency} in flight: ${describeRate(first)}`;
    return verdict(
      'refusals-under-load',
      `The backend refuses valid tokens when ${first.concurrency} handshakes are in flight (${describeRate(first)}), and none one at a time: ` +
        `${decided ? 'its auth dependency times out or overflows under load' : 'load, or a rare bad instance that one at a time did not meet (the rates cannot be told apart)'}${timing}.`,
      [
        ...ramp.steps.map(describeStep),
        first.firstRefusal && `first refusal at ${first.concurrency} in flight: ${describeRecord(first.firstRefusal)}`,
        first.firstOpen && `first success at ${first.concurrency} in flight: ${describeRecord(first.firstOpen)}`,
      ],
      decided ? (slowRefusals ? 'high' : 'medium') : 'low',
      decided ? { decidedBy: comparison } : { decidedBy: comparison, candidates: ['refusals-under-load', 'intermittent-refusals'] },
    );
  },
};

function conditions(r: RawRecord): string {
  return `${r.transport}|${r.url}|${r.experiment ?? ''}|${r.requestHeaders.origin ?? r.requestHeaders.Origin ?? ''}`;
}

export const repeatDiffers: Rule = {
  name: 'repeat-differs',
  needs: 'the same valid probe, repeated one at a time under identical conditions, opened once and was refused once',
  run(c) {
    const byConditions = new Map<string, RawRecord[]>();
    for (const r of c.rawValid) byConditions.set(conditions(r), [...(byConditions.get(conditions(r)) ?? []), r]);
    for (const group of byConditions.values()) {
      const open = group.find((r) => r.outcome === 'open');
      const turnedDown = group.find((r) => signatureOf(r) !== null);
      if (open && turnedDown) {
        return verdict(
          'intermittent-refusals',
          'The same valid handshake, repeated one at a time with nothing changed, opened once and was refused once: some instances refuse valid tokens.',
          [describeRecord(turnedDown), describeRecord(open)],
          'medium',
          { decidedBy: 'a sequential repeat under identical conditions came out differently' },
        );
      }
    }
    return null;
  },
};
