// The steps of firmwareUploader.py (loboris/RePhone_on_Linux, Stefan Mandl) in the order it runs
// them, each recognised by the line the script prints once the step has succeeded. The script
// catches every exception and exits 0, so its output is the only reliable record of how far it got.

export interface Stage {
  name: string;
  /** A line the script prints only after this step succeeded. */
  done: RegExp;
  /** What the step exchanges with the module (for the report and docs/emulator.md). */
  what: string;
}

export const REPHONE_STAGES: readonly Stage[] = [
  { name: 'port-open', done: /^Connect to Port /, what: 'opens the port (retries every 0.1 s)' },
  { name: 'handshake', done: /^Connect to bootloader\.\.\.$/, what: 'BROM A0 0A 50 05' },
  {
    name: 'hardware-code',
    done: /^Hardware Code 6261$/,
    what: 'D2 watchdog off (0xA0030000 = 0x2200), A2 read16 0x80000008',
  },
  { name: 'efuse', done: /^EFuse 0x[0-9a-f]+$/, what: 'D1 read32 0xA01C0108' },
  {
    name: 'pmu-gpio',
    done: /^BL_EMI_PSRAM_Calibration$/,
    what: 'D2 0xA0700F00 (PMU), D4 0xA0020318/0xA0020014/0xA0020C58 (GPIO)',
  },
  {
    name: 'psram-calibration',
    done: /^BL_PowerUpBaseband$/,
    what: 'EMI registers 0xA0050000+, MBIST runs polled on 0xA0050318 (bit 1 done, bit 0 fail)',
  },
  {
    name: 'baseband-power-up',
    done: /^BL_RemapEMI$/,
    what: 'RTC 0xA0710000+: power key, BBPU polled until bit 6 clears',
  },
  {
    name: 'emi-remap',
    done: /^BL_UploadAndStartDA_Bootloader$/,
    what: 'read/modify/write 0xA0510000 twice',
  },
  {
    name: 'da-upload',
    done: /^Program is running$/,
    what: 'D7 INT_SYSRAM → 0x70007000, EXT_RAM → 0x10020000 (signature length 0x100), D5',
  },
  { name: 'da-sync', done: /^DA sync done$/, what: 'C0, DA version 0x0302, BB chip' },
  {
    name: 'flash-detect',
    done: /^DA_DetectFlash done$/,
    what: '15-byte config (259 records), NOR table until 5A, A5 69, 00000000, report (reads 394)',
  },
  { name: 'cbr-format', done: /^DA_DownloadBootLoader$/, what: '56 → 5A' },
  {
    name: 'boot-loaders',
    done: /^DA_DownloadBootLoader done$/,
    what: '55 07 → 5A; 51 → 5A, 00001000 07 → 5A 5A, 2 BL descriptors, packets, 5A 00000002',
  },
  { name: 'efuse-backup', done: /^DA_CBRInfo$/, what: '75 → three u32' },
  { name: 'cbr-info', done: /^DA_SetMemBlock$/, what: '52 → A5 + u32 (no CBR)' },
  {
    name: 'mem-block',
    done: /^DA_SetMemBlock done$/,
    what: 'D3 A5 02, ROM @0x20000 type 0x100, VIVA @0x1D64D0 type 0x108, pre-format progress',
  },
  { name: 'maui-info', done: /^DA_ERASE_MAUI_INFO done$/, what: '5B → three u32' },
  {
    name: 'write',
    done: /^DA_WriteCMD done$/,
    what: 'D5, 01 00001000, 4 KiB packets + sum16, 5A ×3, per-image sum16',
  },
  {
    name: 'fat-format',
    done: /^DA_doFATParition done$/,
    what: 'B8 01 00, FAT range, progress (0xBCD) with host ACKs',
  },
  { name: 'disconnect', done: /^DA_disconnect done$/, what: 'D9 00000000 → 5A' },
  { name: 'done', done: /^Update done !!!!!!!!$/, what: '' },
];

export type StageName = (typeof REPHONE_STAGES)[number]['name'];

/** Follows the script's output line by line; stages only count in order. */
export class StageTracker {
  private next = 0;
  private partial = '';
  readonly lines: string[] = [];

  constructor(private readonly onStage: (stage: Stage) => void = () => {}) {}

  feed(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = raw.replace(/\r$/, '').trimEnd();
      this.lines.push(line);
      const stage = REPHONE_STAGES[this.next];
      if (stage && stage.done.test(line.trimStart())) {
        this.next++;
        this.onStage(stage);
      }
    }
  }

  get reached(): string[] {
    return REPHONE_STAGES.slice(0, this.next).map((s) => s.name);
  }

  /** The first step that did not complete, or null when the script finished. */
  get stoppedAt(): Stage | null {
    return REPHONE_STAGES[this.next] ?? null;
  }

  /** The exception the script printed (it catches everything and exits 0). */
  get error(): string | null {
    const at = this.lines.findIndex((l) => l.startsWith('Traceback'));
    if (at < 0) return null;
    const tail = this.lines.slice(at).filter((l) => l !== '' && !l.startsWith(' '));
    return tail[tail.length - 1] ?? null;
  }
}
