import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp train`. (Being built: see the open issues.) */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp train is not available yet');
    });
}
