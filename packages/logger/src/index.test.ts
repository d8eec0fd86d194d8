import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with the component name and context fields', () => {
    const { lines, stream } = capture();
    const log = createLogger({ name: 'station', destination: stream });
    log.info({ slot: 3 }, 'slot ready');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'station', slot: 3, msg: 'slot ready', level: 30 });
  });

  it('redacts secrets in nested objects', () => {
    const { lines, stream } = capture();
    const log = createLogger({ name: 'server', destination: stream });
    log.warn({ user: { password: 'hunter2' }, apiKey: 'k-123' }, 'login');
    expect(JSON.stringify(lines[0])).not.toContain('hunter2');
    expect(JSON.stringify(lines[0])).not.toContain('k-123');
    expect(lines[0]).toMatchObject({ apiKey: '[redacted]', user: { password: '[redacted]' } });
  });
});
