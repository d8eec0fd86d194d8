// `flashstation`: the engineers' bench tool. Each subcommand lives in its own file under
// ./commands and registers itself on the program.
import { Command } from 'commander';
import { registerEmulateCommand } from './commands/emulate.command';
import { registerFlashCommand } from './commands/flash.command';
import { registerIdentifyCommand } from './commands/identify.command';
import { registerPackageCommand } from './commands/package.command';

const program = new Command('flashstation')
  .description('Flash, identify and emulate MediaTek-based cellular modules (Quectel MC60 family)')
  .showHelpAfterError();

registerFlashCommand(program);
registerIdentifyCommand(program);
registerPackageCommand(program);
registerEmulateCommand(program);

await program.parseAsync(process.argv);
