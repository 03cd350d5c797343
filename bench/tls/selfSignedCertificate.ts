import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface SelfSignedCertificate {
  /** PEM private key and certificate, for `http2.createSecureServer`. */
  key: string;
  cert: string;
  /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's SPKI allow-list takes. */
  spkiSha256: string;
}

/** The hash Chromium's `--ignore-certificate-errors-spki-list` matches a certificate by. */
export function spkiSha256Of(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * A fresh key and a certificate for 127.0.0.1, valid for a day, written to `dir` (a temporary
 * folder: nothing to commit, nothing trusted beyond this run). Node's crypto can make keys but not
 * certificates, so openssl signs it.
 */
export async function makeSelfSignedCertificate(dir: string, openssl = "openssl"): Promise<SelfSignedCertificate> {
  const keyFile = join(dir, "origin-key.pem");
  const certFile = join(dir, "origin-cert.pem");
  // A P-256 key: quick to make, and what Chromium handshakes fastest. The IP subjectAltName is what
  // Chromium checks the host against (it ignores the CN).
  await run(openssl, [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "1",
    "-subj", "/CN=simvx-bench 127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ]);
  const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
  return { key, cert, spkiSha256: spkiSha256Of(cert) };
}

/** Chromium flags that trust exactly this certificate (not every certificate, as `--ignore-certificate-errors` would). */
export function chromiumTrustFlags(certificate: SelfSignedCertificate): string[] {
  return [`--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`];
}
