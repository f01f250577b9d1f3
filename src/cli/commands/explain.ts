import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp explain`. (Being built: see the open issues.) */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp explain is not available yet');
    });
}
