// CA_FILE is read by the target fixture (helpers/target/resolve-target.ts) once a worker starts: a
// missing or wrong file failed every test there (exit 1, "target failing"). It depends on the
// settings alone, so the loader checks it the same way first and the run stops at load (exit 2).
import fs from 'node:fs';
import path from 'node:path';

/** Why CA_FILE cannot serve as a CA, or undefined when it can. Resolved like resolve-target.ts does: from the working directory. */
export function caFileProblem(file: string): string | undefined {
  const full = path.resolve(file);
  let pem: string;
  try {
    pem = fs.readFileSync(full, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return `cannot be read (${reason}: ${full}); give the path of a PEM certificate, relative to the working directory or absolute`;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return `holds no PEM certificate (-----BEGIN CERTIFICATE-----): ${full}`;
  return undefined;
}
