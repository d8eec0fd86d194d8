// `flashstation emulate`: virtual MC60 modules on pseudo-terminals (packages/emulator).
import { Argument, InvalidArgumentError, type Command } from 'commander';
import {
  connectJigControl,
  JigBusyError,
  JigError,
  PtyError,
  ScenarioError,
} from '@station/emulator';
import { runJigUntilStopped } from '../emulate/run-jig';

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    }
    return n;
  };
}

function latency(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (n !== 0 && (n < 1 || n > 16))) {
    throw new InvalidArgumentError('USB latency must be 0 (off) or 1 to 16 ms');
  }
  return n;
}

// `--json` after a subcommand may be claimed by the parent `emulate`, which has one too.
function wantsJson(opts: { json: boolean }, command: Command): boolean {
  return opts.json || Boolean(command.parent?.opts().json);
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
      }) => {
        try {
          await runJigUntilStopped({
            slots: opts.slots,
            dir: opts.dir,
            json: opts.json,
            pacing: opts.pacing,
            usbLatencyMs: opts.usbLatency,
            ...(opts.scenario ? { scenario: opts.scenario } : {}),
          });
        } catch (error) {
          // What the user can fix (folder in use, socat missing, bad scenario): one line, exit 1.
          const fixable =
            error instanceof JigError ||
            error instanceof PtyError ||
            error instanceof ScenarioError;
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
        const client = await connectJigControl(opts.control);
        try {
          await client.power(opts.slot, action);
          const state = (await client.status()).find((s) => s.slot === opts.slot)?.state;
          console.log(
            json
              ? JSON.stringify({ slot: opts.slot, action, state })
              : `slot ${opts.slot}: ${action} → ${state}`,
          );
        } finally {
          client.close();
        }
      },
    );

  emulate
    .command('status')
    .description('Show the state of every slot of a running virtual jig')
    .requiredOption('--control <address>', 'control socket of a running jig')
    .option('--json', 'print JSON', false)
    .action(async (opts: { control: string; json: boolean }, command: Command) => {
      const client = await connectJigControl(opts.control);
      try {
        const slots = await client.status();
        if (wantsJson(opts, command)) console.log(JSON.stringify(slots));
        else
          for (const s of slots)
            console.log(`slot ${s.slot}  ${s.state}  ${s.revision ?? '-'}  ${s.imei}  ${s.path}`);
      } finally {
        client.close();
      }
    });
}
