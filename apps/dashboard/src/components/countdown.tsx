'use client';

import { useEffect, useState } from 'react';
import { secondsLeft } from '../lib/tile-look';
import styles from './flash-status.module.css';

/** Seconds left to `until`, ticking while shown. */
export function Countdown({ until, className }: { until: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const left = secondsLeft(until, now);
  return (
    <span
      className={[styles.countdown, className].filter(Boolean).join(' ')}
      data-testid="flash-countdown"
      data-seconds={left}
      title="Seconds left to power-cycle the module"
    >
      {left} s
    </span>
  );
}
