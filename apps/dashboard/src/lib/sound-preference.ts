/** The line view's sound toggle, kept per browser (a kiosk keeps its setting across reloads). */
export const SOUND_STORAGE_KEY = 'flash-station.sound';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** Off unless this browser turned it on; a storage that cannot be read means off. */
export function readSoundPreference(store: Store | null): boolean {
  try {
    return store?.getItem(SOUND_STORAGE_KEY) === 'on';
  } catch {
    return false; // storage disabled by the browser's policy
  }
}

export function writeSoundPreference(store: Store | null, on: boolean): void {
  try {
    store?.setItem(SOUND_STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Not kept: the toggle still works for this page.
  }
}
