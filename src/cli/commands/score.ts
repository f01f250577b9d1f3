import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp score`. (Being built: see the open issues.) */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp score is not available yet');
    });
}
