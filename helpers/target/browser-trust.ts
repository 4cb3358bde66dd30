// What Chromium needs to trust a target's certificates: the SPKI hashes of CA_FILE's certificates
// and of the twin's published leaf, as --ignore-certificate-errors-spki-list. One place for the
// suite's browser fixture and `npm run open`.
import { createHash, X509Certificate } from 'node:crypto';

/** SHA-256 of each certificate's public key, as Chromium's --ignore-certificate-errors-spki-list wants. */
export function spkiHashes(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => {
    const der = new X509Certificate(b).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('base64');
  });
}

/** The Chromium arguments that trust the target's CA and the twin's leaf; [] when neither exists. */
export function trustArgs(ca: string | null | undefined, twinSpki: string | null | undefined): string[] {
  const spki = [...(ca ? spkiHashes(ca) : []), ...(twinSpki ? [twinSpki] : [])];
  return spki.length ? [`--ignore-certificate-errors-spki-list=${spki.join(',')}`] : [];
}
