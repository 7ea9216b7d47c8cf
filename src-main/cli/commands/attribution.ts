import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function attributionCommand(io: CommandIo, version: string): Command {
  const command = new Command('attribution')
    .description("where a latency run's requests really ran: CloudTrail's served region per request, shares and TTFT/E2E by served region")
    .addOption(new Option('--run <id>', 'the latency or load run (default: the latest); see `bedrock-atlas history`'))
    .addOption(new Option('--wait', 'keep looking until the attribution is done (at most 30 minutes after the run), printing progress on stderr'))
    .addOption(
      new Option(
        '--json',
        'print {runId, startedAt, target, job: {state, counts: {requests, attributed, pending, unattributed, unreadable, duplicatesResolved}, problems, …}, routes: [{key, route, counts, via, servedRegions: [{region, requests, sharePercent, ttftMs, e2eMs}], declaredDestinations}]}',
      ),
    )
    .addHelpText(
      'after',
      `
A request sent through a cross-Region inference profile runs in one of its destination regions; only CloudTrail says
which (additionalEventData.inferenceRegion of its event, looked up with LookupEvents in the region called, matched by
request id). Events arrive minutes after the calls, so attribution keeps looking, with backoff, for up to 30 minutes
after the run's last request; in the desktop app it runs in the background, here it runs while the command does, and
a later command carries on where it stopped. LookupEvents allows 2 calls per second per region: a large run takes
a while. On-demand routes need no lookup (served where called). Requests never found are counted as unattributed.
Needs cloudtrail:LookupEvents in each source region; without it the figures stay, without attribution.

Exit codes: 0 done (requests never found are counted, not an error), 3 still running or cancelled (run again, or use
--wait, which also resumes a cancelled one), 4 CloudTrail could not be read in some region (the reason and the fix are printed), 1 a failure, 2 a bad
argument (an unknown run), 130 interrupted.

Examples:
  bedrock-atlas latency --target us.anthropic.claude-sonnet-4-5-20250929-v1:0 --regions us-east-1 --runs 200 --yes
  bedrock-atlas attribution --wait
  bedrock-atlas attribution --run 5f0c… --json | jq '.routes[] | {key, servedRegions}'`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/attribution')).attributionAction);
}
