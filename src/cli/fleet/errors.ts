/** Errors of the worker fleet (`apexp worker`, `apexp audit --redis`), each with a code. */
import { CliError } from '../errors';

/** What went wrong between the coordinator, Redis and the workers. */
export type FleetErrorCode = 'redis-unreachable' | 'bad-redis-url' | 'bad-job' | 'shard-failed' | 'shard-missing' | 'model-changed';

/**
 * A fleet failure. It is a CliError, so `main` prints it as one line and exits non-zero: 2 for a bad
 * `--redis`/`--queue` (bad input, as every other flag), 3 when the input was fine and the fleet was not.
 */
export class FleetError extends CliError {
  override name = 'FleetError';
  constructor(
    readonly code: FleetErrorCode,
    message: string,
  ) {
    super(message, code === 'bad-redis-url' ? 2 : 3);
  }
}
