import { z } from 'zod';
import type { ConverseInput, LatencyMode, ServiceTier } from '../../src-shared/contract';
import { InferenceConfigSchema } from '../../src-shared/contract';

/** A pane's settings as its form holds them (numbers as typed), and the request they make. */
export interface PaneConfig {
  id: string;
  target: string;
  region: string;
  maxTokens: string;
  temperature: string;
  topP: string;
  /** One stop sequence per line. */
  stopSequences: string;
  latency: LatencyMode | '';
  serviceTier: ServiceTier | '';
}

let nextId = 1;
export const newPaneConfig = (target: string, region: string, from?: PaneConfig): PaneConfig => ({
  maxTokens: '512',
  temperature: '',
  topP: '',
  stopSequences: '',
  latency: '',
  serviceTier: '',
  ...from,
  id: `pane-${nextId++}`,
  target,
  region,
});

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

export class ParameterError extends Error {
  override readonly name = 'InvalidParameter';
  readonly code = 'INVALID_PARAMETER';
}

/** The request without its messages, checked by the contract's own schema so the pane says what the host would. */
export function requestOf(config: PaneConfig, shared: { system: string; autoRoute: boolean }): Omit<ConverseInput, 'messages'> {
  const inference = {
    maxTokens: numberOrUndefined(config.maxTokens),
    temperature: numberOrUndefined(config.temperature),
    topP: numberOrUndefined(config.topP),
    stopSequences: config.stopSequences.split('\n').filter((line) => line !== '').length > 0 ? config.stopSequences.split('\n').filter((line) => line !== '') : undefined,
  };
  const parsed = InferenceConfigSchema.safeParse(Object.fromEntries(Object.entries(inference).filter(([, value]) => value !== undefined)));
  if (!parsed.success) throw new ParameterError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return {
    target: config.target,
    region: config.region,
    ...(shared.system.trim() ? { system: shared.system } : {}),
    ...(Object.keys(parsed.data).length > 0 ? { inferenceConfig: parsed.data } : {}),
    ...(config.latency ? { latency: config.latency } : {}),
    ...(config.serviceTier ? { serviceTier: config.serviceTier } : {}),
    ...(shared.autoRoute ? { autoProfile: true } : {}),
  };
}

/** Issues of a parsed request, one line. */
export const describeIssues = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
