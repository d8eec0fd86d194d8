import type { ResultSound } from '../lib/use-result-sound';
import styles from './line-view.module.css';

/** Sound on PASS and FAIL, off by default; this browser remembers the choice. */
export function SoundToggle({ sound }: { sound: ResultSound }) {
  return (
    <button
      type="button"
      className={styles.sound}
      data-testid="sound-toggle"
      data-on={sound.on}
      aria-pressed={sound.on}
      onClick={sound.toggle}
      title="Play a tone on PASS and on FAIL"
    >
      {sound.on ? '♪ Sound on' : 'Sound off'}
    </button>
  );
}
