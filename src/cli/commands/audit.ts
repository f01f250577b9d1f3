import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp audit`. (Being built: see the open issues.) */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('(not available yet)')
    .action(() => {
      throw new CliError('apexp audit is not available yet');
    });
}
