'use client';

import { Notice } from '../components/notice';

/** Last line of defence: a readable message on the line screen instead of a blank page. */
export default function LineViewError({ error, retry }: { error: unknown; retry: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main style={{ maxWidth: 1200, margin: '0 auto', padding: 32 }}>
      <Notice tone="error" testId="page-error" title="The line view failed">
        {message}{' '}
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
      </Notice>
    </main>
  );
}
