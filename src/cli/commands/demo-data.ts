import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp demo-data`. (Being built: see the open issues.) */
export function registerDemoData(program: Command): void {
  program
    .command('demo-data')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp demo-data is not available yet');
    });
}
