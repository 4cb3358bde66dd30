// The twin's TLS material, made at start: a throwaway CA and a leaf for 127.0.0.1 / localhost
// signed by it. TWIN_TLS publishes the CA PEM and the leaf's SPKI hash (what Chromium's
// --ignore-certificate-errors-spki-list takes); the tls-untrusted fault publishes neither.
import { createHash, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  caPem: string;
  /** base64 sha256 of the leaf's SubjectPublicKeyInfo (DER). */
  spki: string;
}

export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

export async function makeTlsMaterial(): Promise<TlsMaterial> {
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'ws-auth-repro twin CA (throwaway)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: leaf.private, cert: leaf.cert, caPem: ca.cert, spki: spkiHash(leaf.cert) };
}
