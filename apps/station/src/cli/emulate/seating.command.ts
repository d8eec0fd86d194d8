// `flashstation emulate seat | move | remove`: an operator's hands on a running virtual jig.
import type { Command } from 'commander';
import { parseFaultSpecs, type SlotStatus } from '@station/emulator';
import { collectFault, positiveInt, wantsJson } from './cli-options';
import { withJigControl } from './control-command';

const CONTROL_HELP = 'control socket of a running jig (e.g. .run/jig/control.sock)';

function faultNames(slot: SlotStatus | undefined): string {
  const names = Object.keys(slot?.faults ?? {});
  return names.length > 0 ? names.join(', ') : 'none';
}

function slotOf(slots: SlotStatus[], n: number): SlotStatus | undefined {
  return slots.find((s) => s.slot === n);
}

export function registerSeatingCommands(emulate: Command): void {
  emulate
    .command('seat')
    .description('Put a new module (IMEI, firmware revision, its own faults) into an empty slot')
    .requiredOption('--control <address>', CONTROL_HELP)
    .requiredOption('--slot <n>', 'slot number', positiveInt('--slot', 999))
    .requiredOption('--imei <imei>', 'IMEI on the module label')
    .option('--revision <revision>', 'firmware revision in its flash (default MC60CAR01A10)')
    .option(
      '--fault <fault>',
      'a fault the module carries, repeatable: deadPsram, badSector:0x24000, noisyLine:aboveBaud=460800,byteErrorRate=0.05 … (docs/emulator.md)',
      collectFault,
    )
    .option('--json', 'print the seated slot as JSON', false)
    .action(
      async (
        opts: {
          control: string;
          slot: number;
          imei: string;
          revision?: string;
          fault?: string[];
          json: boolean;
        },
        command: Command,
      ) => {
        await withJigControl(opts.control, async (client) => {
          const slots = await client.seat({
            slot: opts.slot,
            imei: opts.imei,
            faults: parseFaultSpecs(opts.fault ?? []),
            ...(opts.revision ? { revision: opts.revision } : {}),
          });
          const seated = slotOf(slots, opts.slot);
          console.log(
            wantsJson(opts, command)
              ? JSON.stringify(seated)
              : `slot ${opts.slot}: seated ${seated?.imei} (${seated?.revision ?? 'blank flash'}, faults: ${faultNames(seated)})`,
          );
        });
      },
    );

  emulate
    .command('move')
    .description('Move the module in one slot (its flash and faults included) into an empty slot')
    .requiredOption('--control <address>', CONTROL_HELP)
    .requiredOption('--from <n>', 'slot the module is in', positiveInt('--from', 999))
    .requiredOption('--to <n>', 'empty slot to put it in', positiveInt('--to', 999))
    .option('--json', 'print the move as JSON', false)
    .action(
      async (
        opts: { control: string; from: number; to: number; json: boolean },
        command: Command,
      ) => {
        await withJigControl(opts.control, async (client) => {
          const moved = slotOf(await client.move(opts.from, opts.to), opts.to);
          console.log(
            wantsJson(opts, command)
              ? JSON.stringify({
                  from: opts.from,
                  to: opts.to,
                  imei: moved?.imei,
                  state: moved?.state,
                })
              : `moved ${moved?.imei} from slot ${opts.from} to slot ${opts.to}`,
          );
        });
      },
    );

  emulate
    .command('remove')
    .description('Take the module out of a slot (the slot is empty afterwards)')
    .requiredOption('--control <address>', CONTROL_HELP)
    .requiredOption('--slot <n>', 'slot number', positiveInt('--slot', 999))
    .option('--json', 'print the result as JSON', false)
    .action(async (opts: { control: string; slot: number; json: boolean }, command: Command) => {
      await withJigControl(opts.control, async (client) => {
        const before = slotOf(await client.status(), opts.slot);
        await client.remove(opts.slot);
        console.log(
          wantsJson(opts, command)
            ? JSON.stringify({ slot: opts.slot, removed: before?.imei ?? null })
            : `slot ${opts.slot}: removed ${before?.imei} (the slot is empty)`,
        );
      });
    });
}
