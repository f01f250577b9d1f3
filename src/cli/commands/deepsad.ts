import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp deepsad`. (Being built: see the open issues.) */
export function registerDeepSad(program: Command): void {
  program
    .command('deepsad')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp deepsad is not available yet');
    });
}
