// When no rule fired: either everything is as the environment says (healthy), or something is
// wrong that no comparison explains — then the records are the evidence, and the causes that a
// single channel cannot tell apart are listed instead of one being guessed.
import { describeBurst, describeDependencies, describeHealth, describeRate, describeRecord, describeValidation } from './describe';
import type { Cause, Verdict } from './causes';
import { type Ctx, plural, refusedAsExpected, unique, verdict, where } from './context';

/** What a refusal seen on one channel only may be: every cause that needs a second channel to decide. */
const SINGLE_CHANNEL_CANDIDATES: Cause[] = ['unexplained', 'backend-cannot-use-auth-service', 'origin-rejected', 'edge-proxy-refused', 'service-credentials-rejected'];

export function unexplainedOrHealthy(c: Ctx): Verdict {
  const expected = c.e.expect.invalidTokenRefusal;
  const failedValid = c.valid.filter((r) => r.outcome !== 'open');
  const badWrong = c.bad.filter((r) => !refusedAsExpected(r, expected));
  const config = c.e.config;
  const configLines = config ? [...config.health.filter((h) => !h.ok).map(describeHealth), ...config.validation.map(describeValidation)] : [];
  const steps = c.e.ramp?.steps ?? [];
  const notOpened = steps.reduce((n, s) => n + s.attempts - s.opened, 0);

  if (failedValid.length) {
    const first = failedValid[0];
    const singleChannel = !c.rawValid.length || !c.bad.length;
    return verdict(
      'unexplained',
      `The valid token via ${first ? where(first) : 'the target'} is not accepted (${failedValid.map((r) => r.outcome).join(', ')}) and no comparison in this test singles out a cause${singleChannel ? ': a refusal seen on one channel fits an edge, an Origin rule and the token path alike' : ''}; read the records.`,
      [...failedValid.map(describeRecord), ...c.bad.slice(0, 2).map(describeRecord), ...configLines, config?.dependencies && describeDependencies(config.dependencies)],
      'low',
      singleChannel ? { candidates: SINGLE_CHANNEL_CANDIDATES } : {},
    );
  }
  const b = c.e.burst;
  if ((b && b.opened < b.attempts) || notOpened > 0) {
    return verdict('unexplained', `Valid handshakes of the burst were not accepted${b ? ` (${describeRate(b)})` : ''} and no known cause fits.`, [b && describeBurst(b), ...configLines], 'low');
  }
  if (badWrong.length) {
    return verdict(
      'unexplained',
      `${c.valid.length ? 'Valid tokens connect, but ' : ''}${plural(badWrong.length, 'invalid token')} ${badWrong.length === 1 ? 'is' : 'are'} not refused as the environment says (${expected}).`,
      badWrong.map(describeRecord),
      'medium',
    );
  }

  const channels = unique(c.valid.map(where));
  const tried = channels.length ? `Valid tokens connect on every channel tried (${channels.join(', ')})` : 'No valid-token handshake in this evidence';
  const refusedPart = c.bad.length ? `; ${plural(c.bad.length, 'invalid token')} refused as ${expected}` : '';
  const attempts = steps.reduce((n, s) => n + s.attempts, 0);
  const rampPart = steps.length ? `; ${attempts} of ${attempts} ramp handshakes connected, up to ${Math.max(...steps.map((s) => s.concurrency))} in flight` : '';
  const burstPart = !steps.length && b ? `; ${b.opened} of ${b.attempts} burst handshakes connected` : '';
  const configPart = !c.valid.length && !c.bad.length && config ? '; configuration checks show no problem' : '';
  return verdict(
    'healthy',
    `${tried}${refusedPart}${rampPart}${burstPart}${configPart}.`,
    [
      ...c.valid.map(describeRecord),
      ...c.bad.map(describeRecord),
      b && describeBurst(b),
      ...(config ? [...config.health.map(describeHealth), ...config.validation.map(describeValidation)] : []),
      config?.dependencies && describeDependencies(config.dependencies),
    ],
    c.valid.length && (c.bad.length || b || steps.length) ? 'high' : 'medium',
  );
}
