// Loads one fuzz case in-process, exactly as playwright.config.ts does (loadEnvironmentSet on a
// folder of its own, no process variables), and says how it ended: refused with problems,
// accepted with settings, or crashed (anything but an EnvironmentError: a stack for the operator).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError, type EnvironmentProblem, type LoadedEnvironment, loadEnvironmentSet } from '../../../environments/load';
import type { FuzzCase } from './env-fuzz-cases';

export type FuzzOutcome =
  | { kind: 'refused'; problems: readonly EnvironmentProblem[] }
  | { kind: 'accepted'; environment: LoadedEnvironment }
  | { kind: 'crashed'; error: string };

export function loadCase(c: FuzzCase, envName = 'local'): FuzzOutcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-fuzz-'));
  try {
    fs.writeFileSync(path.join(dir, `${envName}.env`), c.text);
    const set = loadEnvironmentSet(dir, {});
    const problems = [...set.general, ...(set.broken.get(envName) ?? [])];
    if (problems.length > 0) return { kind: 'refused', problems };
    const environment = set.loaded.find((e) => e.name === envName);
    return environment ? { kind: 'accepted', environment } : { kind: 'crashed', error: 'neither loaded nor refused' };
  } catch (error) {
    if (error instanceof EnvironmentError) return { kind: 'refused', problems: error.problems };
    return { kind: 'crashed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
