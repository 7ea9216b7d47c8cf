import { Command, Option } from 'commander';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

/** `bedrock-atlas fleet ddl`: what a team needs to query the fleet store where it lives. */
export function fleetCommand(io: CommandIo, version: string): Command {
  const ddl = new Command('ddl')
    .description('print the Athena (Glue) CREATE EXTERNAL TABLE statements for the fleet store, with partition projection (no crawler)')
    .requiredOption('--location <s3://bucket/prefix>', 'the store: the S3 prefix the monitors write to')
    .addOption(new Option('--database <name>', 'the Glue database to create the tables in').default('bedrock_atlas'))
    .addOption(new Option('--first-date <YYYY-MM-DD>', 'the first day the date projection covers').default('2026-01-01'))
    .addHelpText(
      'after',
      `
Prints CREATE DATABASE and the samples, probes and runs tables (STORED AS PARQUET, PARTITIONED BY vantage and date),
with partition projection: vantage is injected (every query names its vantage points: WHERE vantage IN (...)),
date runs from --first-date to NOW. docs/fleet.md has the schema and example queries.

Examples:
  bedrock-atlas fleet ddl --location s3://team-bucket/atlas
  bedrock-atlas fleet ddl --location s3://team-bucket/atlas --database latency > tables.sql`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text.trimEnd()), writeErr: (text) => io.stderr(text.trimEnd()) });
  lazyAction(ddl, io, version, async () => (await import('../actions/fleet')).fleetDdlAction);
  return new Command('fleet').description('the fleet store that monitors write: its Athena tables').addCommand(ddl);
}
