import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function monitorCommand(io: CommandIo, version: string): Command {
  const command = new Command('monitor')
    .description('measure on a schedule, headless, from where this runs (a container, an ECS task, a Lambda), into the team store and OTLP')
    .requiredOption('--config <file>', 'the monitor config (JSON): vantage, targets, schedule, measure, budgets, sinks')
    .addOption(new Option('--once', 'run one cycle and exit (cron, Lambda, an EventBridge schedule)'))
    .addOption(new Option('--check', 'validate the config, print the plan (requests and tokens per day) and exit'))
    .addOption(new Option('--print-policy', 'print the least-privilege IAM policy the config needs, and exit'))
    .addHelpText(
      'after',
      `
Long-lived by default: a cycle every schedule.everyMinutes (plus up to schedule.jitterSeconds), one JSON line per
cycle on stderr. SIGTERM or Ctrl+C finishes the requests in flight (no new one starts), flushes every sink and
exits 0 within 10 s.

Exit codes: 0 done (or stopped); 1 with --once, the cycle measured nothing; 2 a bad config (the field and its
valid values are named) or a target the catalog cannot route.`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/monitor')).monitorAction);
}
