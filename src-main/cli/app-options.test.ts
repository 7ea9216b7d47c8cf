import { describe, expect, it } from 'vitest';
import { LaunchOptionsError, parseDesktopArguments } from './app-options';

describe('desktop launch options', () => {
  it('reads the same options as bedrock-atlas web, and only those the user gave', () => {
    const options = parseDesktopArguments(['--profile', 'x', '--regions', 'us-east-1,eu-west-1', '--cache-mode', 'memory', '--endpoint-url', 'http://127.0.0.1:4010/']);
    expect(options).toEqual({
      overrides: { awsProfile: 'x', regions: ['us-east-1', 'eu-west-1'], cacheMode: 'memory' },
      endpointUrl: 'http://127.0.0.1:4010',
      bundled: true,
    });
    expect(parseDesktopArguments([]).overrides).toEqual({});
  });

  it('leaves Chromium switches and the -- separator alone', () => {
    expect(parseDesktopArguments(['--', '--no-sandbox', '--enable-logging', '--no-bundled']).bundled).toBe(false);
  });

  it('names the valid choices for a bad value', () => {
    expect(() => parseDesktopArguments(['--cache-mode', 'disk'])).toThrow(LaunchOptionsError);
    expect(() => parseDesktopArguments(['--cache-mode', 'disk'])).toThrow(/file, memory, none/);
    expect(() => parseDesktopArguments(['--regions', 'mars-north-1'])).toThrow(/mars-north-1/);
  });
});
