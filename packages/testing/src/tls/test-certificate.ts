import { generate } from 'selfsigned';

/** A PEM certificate and its private key, for `https.createServer({ cert, key })`. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
}

/**
 * Makes a self-signed certificate for 127.0.0.1, ::1 and localhost (plus `hosts`), valid from
 * now for a day: what a test HTTPS server presents. No client trusts it unless told to (`ca`),
 * which is the point of testing `skip_ssl_validation`. An EC key: a few milliseconds.
 */
export async function makeTestCertificate(hosts: readonly string[] = []): Promise<TestCertificate> {
  const altNames = [
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    { type: 2 as const, value: 'localhost' },
    ...hosts.map((value) => ({ type: 2 as const, value })),
  ];
  const pems = await generate([{ name: 'commonName', value: 'agentkit test intake' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { cert: pems.cert, key: pems.private };
}
