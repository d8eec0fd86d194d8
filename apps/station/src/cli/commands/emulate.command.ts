// `flashstation emulate`: virtual MC60 modules on pseudo-terminals (packages/emulator).
import { Argument, InvalidArgumentError, type Command } from 'commander';
import {
  FLASH_PART_NAMES,
  FlashPartError,
  JigBusyError,
  JigError,
  PtyError,
  resolveFlashPart,
  ScenarioError,
} from '@station/emulator';
import { positiveInt, wantsJson } from '../emulate/cli-options';
import { withJigControl } from '../emulate/control-command';
import { runJigUntilStopped } from '../emulate/run-jig';
import { registerSeatingCommands } from '../emulate/seating.command';

function latency(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (n !== 0 && (n < 1 || n > 16))) {
    throw new InvalidArgumentError('USB latency must be 0 (off) or 1 to 16 ms');
  }
  return n;
}

/** Checked as it is read, so a typo is refused before any pty is made. */
function flashPart(value: string): string {
  try {
    resolveFlashPart(value);
  } catch (error) {
    if (error instanceof FlashPartError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return value;
}

export function registerEmulateCommand(program: Command): void {
  const emulate = program
    .command('emulate')
    .description('Run a virtual jig of emulated MC60 modules on pseudo-terminals until stopped')
    .option('--slots <n>', 'number of virtual modules', positiveInt('--slots', 256), 8)
    .option('--dir <path>', 'directory for slot tty links and the control socket', '.run/jig')
    .option(
      '--scenario <file>',
      'JSON scenario assigning IMEIs, revisions and faults (docs/emulator.md)',
    )
    .option(
      '--usb-latency <ms>',
      'USB-serial latency timer per turnaround (1-16 ms, 0 = off)',
      latency,
      0,
    )
    .option(
      '--flash-part <part>',
      `every module's flash part: ${FLASH_PART_NAMES.join(', ')} or jedec=…,sizeMiB=…,sectorEraseMs=…,blockEraseMs=…,pageProgramMs=… (default: GD25LQ32, quick times)`,
      flashPart,
    )
    .option('--no-pacing', 'deliver bytes at once instead of at the line rate')
    .option('--json', 'print one JSON object per slot', false)
    .action(
      async (opts: {
        slots: number;
        dir: string;
        scenario?: string;
        usbLatency: number;
        pacing: boolean;
        json: boolean;
        flashPart?: string;
      }) => {
        try {
          await runJigUntilStopped({
            slots: opts.slots,
            dir: opts.dir,
            json: opts.json,
            pacing: opts.pacing,
            usbLatencyMs: opts.usbLatency,
            ...(opts.scenario ? { scenario: opts.scenario } : {}),
            ...(opts.flashPart ? { flashPart: opts.flashPart } : {}),
          });
        } catch (error) {
          // What the user can fix (folder in use, socat missing, bad scenario): one line, exit 1.
          const fixable =
            error instanceof JigError ||
            error instanceof PtyError ||
            error instanceof ScenarioError ||
            error instanceof FlashPartError;
          if (!fixable) throw error;
          const hint = error instanceof JigBusyError ? ' (--dir <folder>)' : '';
          console.error(`${error.message}${hint}`);
          process.exitCode = 1;
        }
      },
    );

  emulate
    .command('power')
    .description("Switch a virtual slot's power (like a relay on a jig)")
    .requiredOption(
      '--control <address>',
      'control socket of a running jig (e.g. .run/jig/control.sock)',
    )
    .requiredOption('--slot <n>', 'slot number', positiveInt('--slot', 999))
    .addArgument(new Argument('<action>', 'off, on or cycle').choices(['off', 'on', 'cycle']))
    .option('--json', 'print the result as JSON', false)
    .action(
      async (
        action: 'on' | 'off' | 'cycle',
        opts: { control: string; slot: number; json: boolean },
        command: Command,
      ) => {
        const json = wantsJson(opts, command);
        await withJigControl(opts.control, async (client) => {
          await client.power(opts.slot, action);
          const state = (await client.status()).find((s) => s.slot === opts.slot)?.state;
          console.log(
            json
              ? JSON.stringify({ slot: opts.slot, action, state })
              : `slot ${opts.slot}: ${action} → ${state}`,
          );
        });
      },
    );

  emulate
    .command('status')
    .description('Show every slot of a running virtual jig: module state, revision, IMEI or empty')
    .requiredOption('--control <address>', 'control socket of a running jig')
    .option('--json', 'print JSON', false)
    .action(async (opts: { control: string; json: boolean }, command: Command) => {
      await withJigControl(opts.control, async (client) => {
        const slots = await client.status();
        if (wantsJson(opts, command)) console.log(JSON.stringify(slots));
        else
          for (const s of slots)
            console.log(
              `slot ${s.slot}  ${s.state}  ${s.revision ?? '-'}  ${s.imei ?? '(empty)'}  ${s.path}`,
            );
      });
    });

  registerSeatingCommands(emulate);
}
