import { athenaDdl, InvalidDdlOption } from '../../core/fleet/store/ddl';
import { InvalidStoreLocation } from '../../core/fleet/store/layout';
import { UsageError } from '../io';
import type { ActionContext } from '../lazy-action';

/** `bedrock-atlas fleet ddl`: the Athena statements on stdout; a location or option Athena cannot take exits 2. */
export async function fleetDdlAction({ opts, io }: ActionContext): Promise<void> {
  let statements: string;
  try {
    statements = athenaDdl({ location: String(opts.location), database: String(opts.database), firstDate: String(opts.firstDate) });
  } catch (error) {
    if (error instanceof InvalidStoreLocation || error instanceof InvalidDdlOption) throw new UsageError(error.message);
    throw error;
  }
  io.stdout(statements);
}
