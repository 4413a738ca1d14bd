import { createServer, type Server } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * startSigV4Proxy is a minimal stand-in for aws-sigv4-proxy (the sidecar of article 000): it
 * re-signs every request it receives with SigV4 (service aps) and forwards it to target.
 */
export async function startSigV4Proxy(target: string, credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1'): Promise<{ url: string; server: Server }> {
  const signer = new SignatureV4({ service: 'aps', region, sha256: Hash.bind(null, 'sha256'), credentials });
  const base = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', base);
        const headers: Record<string, string> = { host: url.host };
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'authorization'].includes(k)) headers[k] = v;
        }
        const signed = await signer.sign({ method: req.method ?? 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body });
        const { host: _host, ...sendHeaders } = signed.headers as Record<string, string>;
        const r = await fetch(url, { method: req.method, headers: sendHeaders, body: req.method === 'GET' ? undefined : body });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await r.arrayBuffer()));
      } catch (err) {
        res.writeHead(502);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
