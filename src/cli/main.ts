import { Command, CommanderError } from 'commander';
import { CliError } from './errors';
import { registerDeepSad } from './commands/deepsad';
import { registerExplain } from './commands/explain';
import { registerTrain } from './commands/train';
import { registerScore } from './commands/score';
import { registerAudit } from './commands/audit';
import { registerDemoData } from './commands/demo-data';
import { registerCrops } from './commands/crops';
import { registerWorker } from './commands/worker';

/**
 * Rewrites the seed tool's snake_case long options (`--ratio_known_outlier`) to kebab-case, so the
 * Deep-SAD-PyTorch spellings keep working. Values and short options are left alone.
 */
export function kebabCaseOptions(argv: readonly string[]): string[] {
  return argv.map((a) => {
    if (!a.startsWith('--')) return a;
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    return name.replace(/_/g, '-') + (eq < 0 ? '' : a.slice(eq));
  });
}

/** Builds the `apexp` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('apexp')
    .description('Audit what an image classifier looks at: Grad-CAM explanations scored by Deep SAD.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [registerExplain, registerTrain, registerScore, registerAudit, registerDeepSad, registerDemoData, registerCrops, registerWorker]) {
    register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns the process exit code. User errors print one line to stderr.
 * @param argv arguments after `node apexp`
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(kebabCaseOptions(argv), { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message; help and version are not failures.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`apexp: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`apexp: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    if (process.env.APEXP_DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
    return 1;
  }
}
