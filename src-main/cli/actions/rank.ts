import { isCommercialRegion } from '../../../src-shared/regions';
import type { ActionContext } from '../lazy-action';
import { callMethod } from '../core-calls';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AtlasCore } from '../../core/app/atlas-core';
import { openCommandCore } from '../command-core';
import { checkDataDir, historyFileIn } from '../data-dir';
import { LOCAL_VANTAGE } from '../../../src-shared/contract/vantage';
import { syncGivenStore, TEAM_USAGE_CODES, vantageOf, withStore } from './team-store';

/** `bedrock-atlas rank`: a target's routes from a home region, by measured p50 TTFT, then by access type. */
export async function rankAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const envRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const from = (opts.from as string | undefined) ?? (envRegion && isCommercialRegion(envRegion) ? envRegion : 'us-east-1');
  const store = opts.store as string | undefined;
  const vantage = vantageOf(opts);
  shared = withStore(shared, store);
  let core: AtlasCore = await openCommandCore(shared, io, version);
  // A read creates nothing: with no history yet, the routes are ranked against an empty one in a temporary
  // directory, removed afterwards, rather than creating the data directory and an empty database.
  let empty: string | null = null;
  const { dir, exists } = await checkDataDir(core.settings().dataDir, shared.overrides.dataDir !== undefined, 'read');
  if (vantage === LOCAL_VANTAGE && (!exists || !existsSync(historyFileIn(dir)))) {
    await core.close();
    empty = await mkdtemp(join(tmpdir(), 'bedrock-atlas-no-history-'));
    core = await openCommandCore({ ...shared, overrides: { ...shared.overrides, dataDir: empty } }, io, version);
  }
  try {
    await syncGivenStore(core, io, store);
    const { routes } = await callMethod(
      core,
      'rankRoutes',
      { target: opts.target as string, from, ...(vantage !== LOCAL_VANTAGE ? { vantage } : {}) },
      { flags: { target: '--target', from: '--from', vantage: '--vantage' }, usageCodes: TEAM_USAGE_CODES },
    );
    if (opts.json) {
      io.stdout(JSON.stringify({ vantage, routes }, null, 2));
      return;
    }
    if (vantage !== LOCAL_VANTAGE) io.stdout(`Measured from: ${vantage === 'all' ? 'every vantage (this machine and the team store)' : vantage}`);
    if (routes.length === 0) io.stdout(`No route from ${from}: the model is not callable on demand or through a profile from there.`);
    routes.forEach((route, index) => {
      const figure = route.ttftP50Ms === null ? 'not measured' : `p50 TTFT ${Math.round(route.ttftP50Ms)} ms (${route.samples} samples)`;
      io.stdout(`${String(index + 1).padStart(2)}. ${route.invokeId}  call ${route.callRegion}  ${route.kind}  ${figure}`);
      io.stdout(`    ${route.reason}`);
    });
  } finally {
    await core.close();
    if (empty) await rm(empty, { recursive: true, force: true });
  }
}
