import { Command, CommanderError } from 'commander';
import { catalogCommand } from './commands/catalog';
import { emulatorCommand } from './commands/emulator';
import { historyCommand } from './commands/history';
import { latencyCommand } from './commands/latency';
import { probeCommand } from './commands/probe';
import { rankCommand } from './commands/rank';
import { promptCommand } from './commands/prompt';
import { webCommand } from './commands/web';
import { whereCommand } from './commands/where';
import { whoamiCommand } from './commands/whoami';
import { doctorCommand } from './commands/doctor';
import { pricesCommand } from './commands/prices';
import { ssoCommand } from './commands/sso';
import { quotasCommand } from './commands/quotas';
import { usageCommand } from './commands/usage';
import { capacityCommand } from './commands/capacity';
import { attributionCommand } from './commands/attribution';
import { fleetCommand } from './commands/fleet';
import { monitorCommand } from './commands/monitor';
import { UsageError, type CommandIo } from './io';

export const EXIT_USAGE = 2;

const EXAMPLES = `
Examples:
  bedrock-atlas web                                  the dashboard in your browser
  bedrock-atlas catalog                              which regions answered, how many models and profiles
  bedrock-atlas where "claude 3 haiku"               how that model can be called in every region
  bedrock-atlas where nova-2-lite --from eu-west-3   the ranked routes from your region
  bedrock-atlas catalog --json > catalog.json        the whole catalog document
  bedrock-atlas probe                                DNS, TCP, TLS and first byte to every region, cold and warm
  bedrock-atlas latency --target "claude 3 haiku"    TTFT, E2E and output speed where that model is callable
  bedrock-atlas rank --target nova-lite              its routes from your region (--from), fastest measured first
  bedrock-atlas prices --target "claude sonnet 4"    what each of its routes costs per million tokens, and as of when
  bedrock-atlas quotas --target nova-lite            your requests and tokens per minute and per day, route by route
  bedrock-atlas usage --target nova-lite             its usage from CloudWatch on every route, against the quotas
  bedrock-atlas capacity --target nova-lite --from us-east-1 --rpm 300 --input-tokens 2000 --max-tokens 500
                                                     what each route from us-east-1 can carry, and what binds first
  bedrock-atlas attribution --wait                   where the latest run's profile requests really ran (CloudTrail)
  bedrock-atlas emulator --port 4010                 an offline Bedrock; then add --endpoint-url http://127.0.0.1:4010

Every command that talks to Bedrock takes the shared options (--endpoint-url, --profile, --regions, --cache-mode,
--cache-dir, --max-age-hours, --no-bundled, --data-dir): see \`bedrock-atlas <command> --help\`.`;

export function buildProgram(io: CommandIo, version: string): Command {
  const program = new Command('bedrock-atlas')
    .description('See and test AWS Bedrock across regions: which model runs where and how, and how fast.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXAMPLES)
    .configureOutput({ writeOut: (text) => io.stdout(text.trimEnd()), writeErr: (text) => io.stderr(text.trimEnd()) });
  program.addCommand(webCommand(io, version));
  program.addCommand(catalogCommand(io, version));
  program.addCommand(whereCommand(io, version));
  program.addCommand(promptCommand(io, version));
  program.addCommand(probeCommand(io, version));
  program.addCommand(latencyCommand(io, version));
  program.addCommand(historyCommand(io, version));
  program.addCommand(rankCommand(io, version));
  program.addCommand(whoamiCommand(io, version));
  program.addCommand(doctorCommand(io, version));
  program.addCommand(pricesCommand(io, version));
  program.addCommand(ssoCommand(io, version));
  program.addCommand(quotasCommand(io, version));
  program.addCommand(usageCommand(io, version));
  program.addCommand(capacityCommand(io, version));
  program.addCommand(attributionCommand(io, version));
  program.addCommand(monitorCommand(io, version));
  program.addCommand(fleetCommand(io, version));
  program.addCommand(emulatorCommand(io, version));
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program.exitOverride();
}

/** Runs the CLI and returns its exit code: 0 success, 1 failure, 2 a usage mistake. */
export async function runCli(argv: string[], io: CommandIo, version: string): Promise<number> {
  const program = buildProgram(io, version);
  if (argv.length === 0) {
    // Nothing asked: the help, with examples, is the answer (on stdout, like --help).
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    io.stderr(`error: ${(error as Error).name === 'Error' ? '' : `${(error as Error).name}: `}${(error as Error).message}`);
    return 1;
  }
}
