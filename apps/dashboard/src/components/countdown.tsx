'use client';

import { useEffect, useState } from 'react';
import { secondsLeft } from '../lib/tile-look';
import styles from './flash-status.module.css';

/** Seconds left to `until`, ticking while shown. */
export function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const left = secondsLeft(until, now);
  return (
    <span className={styles.countdown} data-testid="flash-countdown" data-seconds={left}>
      {left} s
    </span>
  );
}
