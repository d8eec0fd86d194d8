// waitForHttp against a real listening socket and a real process that dies before it listens.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp, WaitTimeoutError } from '../src/index';

describe('waitForHttp', () => {
  it('resolves once something answers, whatever the status', async () => {
    const port = await freePort();
    const server = createServer((_, response) => response.writeHead(503).end());
    setTimeout(() => server.listen(port, '127.0.0.1'), 300);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, { timeoutMs: 10_000 });
    } finally {
      server.close();
    }
  });

  it('fails at once, with the output, when the process it waits on exits', async () => {
    const proc = startProcess('server', 'sh', ['-c', 'echo "Port 1 is in use" >&2; exit 1']);
    const started = Date.now();
    await expect(
      waitForHttp('http://127.0.0.1:1/', { process: proc, timeoutMs: 30_000 }),
    ).rejects.toThrow(
      /^server exited before http:\/\/127\.0\.0\.1:1\/ answered:\nPort 1 is in use/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await proc.release();
  });

  it('names the URL at its deadline', async () => {
    const port = await freePort();
    const error = await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(
      new RegExp(`^timed out after 300 ms waiting for http://127.0.0.1:${port}/ to answer`),
    );
  });
});
