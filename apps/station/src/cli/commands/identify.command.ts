import { identifyModule, isFlashError } from '@station/mtk';
import type { Command } from 'commander';
import { SerialTransport } from '../../ports/serial-transport';
import { printFailure } from '../flash/report';

export function registerIdentifyCommand(program: Command): void {
  program
    .command('identify')
    .description('Read IMEI and firmware revision over AT (115200)')
    .requiredOption('--port <path>', 'serial port of the module')
    .option('--json', 'print one JSON object')
    .action(async (options: { port: string; json?: boolean }) => {
      let port: SerialTransport | undefined;
      try {
        port = await SerialTransport.open({ path: options.port });
        const identity = await identifyModule(port, { stage: 'preflight' });
        if (options.json)
          process.stdout.write(`${JSON.stringify({ ok: identity !== undefined, ...identity })}\n`);
        else if (identity)
          process.stdout.write(`IMEI ${identity.imei}  Revision ${identity.revision}\n`);
        else
          process.stdout.write(
            'no answer to AT (module off, in download mode, or without firmware)\n',
          );
        process.exitCode = identity ? 0 : 1;
      } catch (error) {
        if (!isFlashError(error)) throw error;
        printFailure(error, options.json);
      } finally {
        await port?.close();
      }
    });
}
