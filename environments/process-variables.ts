// Near-misses in the process-variable layer (<ENV>_<VAR>, how CI hands secrets over). A typo
// there is silent: `STAGNG_JWT_SECRET` or `LOCAL_JWT_SECRETT` is simply never read.
//
// The process environment also holds many unrelated variables (PATH, HOME, CI, GITHUB_TOKEN…),
// so only two shapes are flagged, and both must be close to something this suite reads:
//   1. `<ENV>_<REST>` for a known environment (longest prefix wins, so STAGING_EU_X belongs to
//      staging-eu, not staging) whose REST is not a variable but is a near-miss of one;
//   2. `<PREFIX>_<VAR>` with VAR exactly a variable of the schema and PREFIX, not a known
//      environment, within 1 edit (2 for prefixes of 6+ characters) of a known one.
// Anything else (FOO_BAR, LOCAL_RANK, CI_ISSUE_ID when `qa` exists) is left alone.
import { closestName, editDistance, type EnvironmentProblem } from './problems';

export interface StrayVariable {
  /** The environment it was probably meant for. */
  environment: string;
  problem: EnvironmentProblem;
}

const prefixOf = (envName: string) => `${envName.toUpperCase().replace(/-/g, '_')}_`;

export function strayProcessVariables(names: readonly string[], environments: readonly string[], known: readonly string[]): StrayVariable[] {
  const prefixes = environments.map((env) => ({ env, prefix: prefixOf(env) })).sort((a, b) => b.prefix.length - a.prefix.length);
  const out: StrayVariable[] = [];
  for (const name of names) {
    const owner = prefixes.find((p) => name.startsWith(p.prefix));
    if (owner) {
      const rest = name.slice(owner.prefix.length);
      if (known.includes(rest)) continue;
      const guess = closestName(rest, known);
      if (guess) out.push(stray(owner.env, name, `not a variable of environment "${owner.env}"; did you mean ${owner.prefix}${guess}?`));
      continue;
    }
    const variable = known.filter((k) => name.endsWith(`_${k}`)).sort((a, b) => b.length - a.length)[0];
    if (!variable) continue;
    const prefix = name.slice(0, -variable.length);
    let best: { env: string; prefix: string; distance: number } | undefined;
    for (const p of prefixes) {
      const distance = editDistance(prefix, p.prefix);
      if (!best || distance < best.distance) best = { ...p, distance };
    }
    const tolerance = prefix.length >= 7 ? 2 : 1; // prefix includes its trailing `_`
    if (best && best.distance <= tolerance) {
      const message = `no environment matches the prefix ${prefix}; did you mean ${best.prefix}${variable}? (known environments: ${environments.join(', ')})`;
      out.push(stray(best.env, name, message));
    }
  }
  return out;
}

function stray(environment: string, name: string, message: string): StrayVariable {
  return { environment, problem: { source: `process env ${name}`, variable: name, message } };
}
