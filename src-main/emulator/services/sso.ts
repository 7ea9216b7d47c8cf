import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Scenario } from '../scenario';
import { QueryError } from './query-protocol';
import type { EmulatedService } from './service';

/**
 * IAM Identity Center as a sign-in sees it, both halves unsigned restJson over paths, as AWS serves them:
 * - SSO OIDC (`oidc.<region>.amazonaws.com`): RegisterClient `POST /client/register`, StartDeviceAuthorization
 *   `POST /device_authorization`, CreateToken `POST /token` (the device code grant, polled; and the refresh grant).
 * - The SSO portal (`portal.sso.<region>.amazonaws.com`): GetRoleCredentials
 *   `GET /federation/credentials?role_name=&account_id=` with the access token in `x-amz-sso_bearer_token`.
 *
 * The scenario's `sso` plays the user at the browser: approve after a number of polls, or deny, or let the code
 * expire, and optionally ask the client once to slow down. The state of a flow (clients, device codes, their polls,
 * tokens issued) lives as long as the scenario in force: a new scenario starts it over.
 */

export const SsoScenarioSchema = z
  .object({
    /** CreateToken answers authorization_pending this many times before the user's decision. */
    approveAfterPolls: z.number().int().nonnegative().default(1),
    /** The user clicks Deny: AccessDeniedException instead of a token. */
    deny: z.boolean().default(false),
    /** The device code runs out before the user decides: ExpiredTokenException. */
    expire: z.boolean().default(false),
    /** The first poll is told to slow down (SlowDownException), before any pending answer. */
    slowDownOnce: z.boolean().default(false),
    /** StartDeviceAuthorization's `interval`, the seconds a client waits between polls. */
    intervalSeconds: z.number().int().nonnegative().default(1),
    /** StartDeviceAuthorization's `expiresIn` for the device code. */
    deviceCodeExpiresInSeconds: z.number().int().positive().default(600),
    /** CreateToken's `expiresIn` for the access token. */
    accessTokenExpiresInSeconds: z.number().int().positive().default(28_800),
    /** What GetRoleCredentials hands out (the emulated Bedrock and STS accept any signed request). */
    roleCredentials: z
      .object({
        accessKeyId: z.string().min(16).default('ASIASSOEMULATOR00001'),
        secretAccessKey: z.string().min(1).default('sso-emulator-secret-access-key'),
        sessionToken: z.string().min(1).default('sso-emulator-session-token'),
        expiresInSeconds: z.number().int().positive().default(3600),
      })
      .strict()
      .prefault({}),
  })
  .strict();

interface DeviceCode {
  clientId: string;
  polls: number;
  slowedDown: boolean;
  issued: boolean;
}

interface SsoState {
  clients: Map<string, { clientSecret: string }>;
  deviceCodes: Map<string, DeviceCode>;
  accessTokens: Set<string>;
  refreshTokens: Map<string, string>;
}

const states = new WeakMap<Scenario, SsoState>();

function stateOf(scenario: Scenario): SsoState {
  let state = states.get(scenario);
  if (!state) {
    state = { clients: new Map(), deviceCodes: new Map(), accessTokens: new Set(), refreshTokens: new Map() };
    states.set(scenario, state);
  }
  return state;
}

const secret = (prefix: string) => `${prefix}${randomBytes(16).toString('base64url')}`;
const text = (parameters: Record<string, unknown>, name: string) => (typeof parameters[name] === 'string' ? parameters[name] : '');

function sendRestJson(call: Parameters<EmulatedService['answer']>[0], body: unknown): void {
  const json = JSON.stringify(body);
  if (call.response.headersSent || call.response.destroyed) return;
  call.response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  call.response.end(json);
}

const OIDC_ROUTES: Record<string, string> = {
  'POST /client/register': 'RegisterClient',
  'POST /device_authorization': 'StartDeviceAuthorization',
  'POST /token': 'CreateToken',
};

export const ssoOidcService: EmulatedService = {
  signingName: 'sso-oauth',
  protocol: 'restJson',
  operationAt: (method, path) => OIDC_ROUTES[`${method} ${path}`] ?? null,
  async answer(call) {
    const { scenario, operation } = call;
    const parameters = call.parameters as Record<string, unknown>;
    const flow = scenario.sso;
    const state = stateOf(scenario);
    const now = Math.floor(Date.now() / 1000);
    if (operation === 'RegisterClient') {
      if (!text(parameters, 'clientName')) throw new QueryError(400, 'InvalidRequestException', 'clientName is required');
      const clientId = secret('emulator-client-');
      const clientSecret = secret('emulator-client-secret-');
      state.clients.set(clientId, { clientSecret });
      sendRestJson(call, { clientId, clientSecret, clientIdIssuedAt: now, clientSecretExpiresAt: now + 90 * 86_400 });
      return;
    }
    const client = state.clients.get(text(parameters, 'clientId'));
    if (!client || client.clientSecret !== text(parameters, 'clientSecret')) throw new QueryError(401, 'InvalidClientException', 'Invalid client provided');
    if (operation === 'StartDeviceAuthorization') {
      if (!/^https:\/\//.test(text(parameters, 'startUrl'))) throw new QueryError(400, 'InvalidRequestException', 'Invalid start url');
      const deviceCode = secret('emulator-device-');
      const userCode = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase();
      state.deviceCodes.set(deviceCode, { clientId: text(parameters, 'clientId'), polls: 0, slowedDown: false, issued: false });
      const verificationUri = 'https://device.sso.us-east-1.amazonaws.com/';
      sendRestJson(call, {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
        expiresIn: flow.deviceCodeExpiresInSeconds,
        interval: flow.intervalSeconds,
      });
      return;
    }
    // CreateToken
    const issue = () => {
      const accessToken = secret('emulator-sso-access-');
      const refreshToken = secret('emulator-sso-refresh-');
      state.accessTokens.add(accessToken);
      state.refreshTokens.set(refreshToken, text(parameters, 'clientId'));
      sendRestJson(call, { accessToken, tokenType: 'Bearer', expiresIn: flow.accessTokenExpiresInSeconds, refreshToken });
    };
    const grantType = text(parameters, 'grantType');
    if (grantType === 'refresh_token') {
      if (!state.refreshTokens.has(text(parameters, 'refreshToken'))) throw new QueryError(400, 'InvalidGrantException', 'Invalid refresh token provided');
      issue();
      return;
    }
    if (grantType !== 'urn:ietf:params:oauth:grant-type:device_code') throw new QueryError(400, 'UnsupportedGrantTypeException', `Unsupported grant type ${grantType}`);
    const device = state.deviceCodes.get(text(parameters, 'deviceCode'));
    if (!device || device.clientId !== text(parameters, 'clientId') || device.issued) throw new QueryError(400, 'InvalidGrantException', 'Invalid grant provided');
    device.polls += 1;
    if (flow.slowDownOnce && !device.slowedDown) {
      device.slowedDown = true;
      throw new QueryError(400, 'SlowDownException', 'Client is polling too quickly');
    }
    if (device.polls <= flow.approveAfterPolls + (flow.slowDownOnce ? 1 : 0)) throw new QueryError(400, 'AuthorizationPendingException', 'Authorization is still pending');
    if (flow.deny) throw new QueryError(400, 'AccessDeniedException', 'Access denied: the user denied the authorization request');
    if (flow.expire) throw new QueryError(400, 'ExpiredTokenException', 'The device code has expired');
    device.issued = true;
    issue();
  },
};

export const ssoPortalService: EmulatedService = {
  signingName: 'awsssoportal',
  protocol: 'restJson',
  operationAt: (method, path) => (method === 'GET' && path === '/federation/credentials' ? 'GetRoleCredentials' : null),
  async answer(call) {
    const token = call.request.headers['x-amz-sso_bearer_token'];
    if (typeof token !== 'string' || !stateOf(call.scenario).accessTokens.has(token)) {
      throw new QueryError(401, 'UnauthorizedException', 'Session token not found or invalid');
    }
    const parameters = call.parameters as Record<string, unknown>;
    if (!text(parameters, 'role_name') || !/^\d{12}$/.test(text(parameters, 'account_id'))) {
      throw new QueryError(400, 'InvalidRequestException', 'role_name and a 12-digit account_id are required');
    }
    const { accessKeyId, secretAccessKey, sessionToken, expiresInSeconds } = call.scenario.sso.roleCredentials;
    sendRestJson(call, { roleCredentials: { accessKeyId, secretAccessKey, sessionToken, expiration: Date.now() + expiresInSeconds * 1000 } });
  },
};
