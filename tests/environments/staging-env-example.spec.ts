import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import dotenv from 'dotenv';
import { EnvironmentError, loadEnvironment } from '../../environments/load';
import { envSchema, SECRET_VARIABLES } from '../../environments/schema';

const EXAMPLE = path.join(__dirname, '..', '..', 'environments', 'staging.env.example');
const text = fs.readFileSync(EXAMPLE, 'utf8');
const shape = envSchema.shape as Record<string, { description?: string; safeParse(v: unknown): { success: boolean; data?: unknown } }>;

/** `NAME=value` and `# NAME=value` lines: set, or documented (default or example). */
function documented(): Map<string, { value: string; active: boolean }> {
  const found = new Map<string, { value: string; active: boolean }>();
  for (const line of text.split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*=.*)$/.exec(line);
    if (!m?.[2]) continue;
    const [[key, value]] = Object.entries(dotenv.parse(m[2])) as [[string, string]];
    found.set(key, { value, active: !m[1] });
  }
  return found;
}

test('documents every schema variable, and nothing else', () => {
  expect([...documented().keys()].sort()).toEqual(Object.keys(shape).sort());
});

test("carries every variable's schema description", () => {
  for (const [key, field] of Object.entries(shape)) {
    if (field.description) expect(text, key).toContain(`# ${key}: ${field.description}`);
  }
});

test('sets no secret, and says where each one goes', () => {
  const docs = documented();
  for (const key of SECRET_VARIABLES) {
    expect(docs.get(key), key).toEqual({ value: '', active: false });
    expect(text, key).toContain(`→ put it in environments/staging.local.env, or set STAGING_${key}`);
  }
});

test('commented values are the schema defaults, or valid examples', () => {
  for (const [key, { value, active }] of documented()) {
    if (active || (SECRET_VARIABLES as readonly string[]).includes(key)) continue;
    const field = shape[key];
    const fallback = field?.safeParse(undefined);
    const parsed = field?.safeParse(value);
    expect(parsed?.success, `${key}=${value}`).toBe(true);
    if (fallback?.success && fallback.data !== undefined) expect(parsed?.data, key).toEqual(fallback.data);
  }
});

test('a copy validates once the secret comes from the process environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-example-'));
  try {
    fs.copyFileSync(EXAMPLE, path.join(dir, 'staging.env'));
    const secret = 'ci-provided-secret-for-the-example-0001';
    const env = loadEnvironment('staging', dir, { STAGING_JWT_SECRET: secret });
    expect([env.settings.TWIN, env.settings.BACKEND_URL, env.settings.JWT_SECRET]).toEqual(['off', 'https://api.staging.example.com', secret]);
    expect(() => loadEnvironment('staging', dir, {})).toThrow(EnvironmentError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
