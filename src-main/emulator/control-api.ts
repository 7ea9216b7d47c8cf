import { parseScenario, ScenarioError, type Scenario } from './scenario';
import { sendJson, type EmulatorRequest, type EmulatorResponse } from './wire';

/**
 * `/_emulator/...`: the unsigned loopback API that tests, benchmarks and the e2e suite use to change the scenario
 * and read the counters. Like the browser host, it refuses requests whose Host is not this server (DNS rebinding)
 * or whose Origin is another site, so a web page cannot reset or rewrite the scenario. Node's fetch sends no Origin.
 */

export const CONTROL_PREFIX = '/_emulator/';
/** A scenario is a few kilobytes (the realistic one about 2); a body past this is refused, not buffered. */
export const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** The body, or BodyTooLarge as soon as it passes the cap (declared or counted); the rest is not kept. */
function readCappedBody(request: EmulatorRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_CONTROL_BODY_BYTES) {
      request.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_CONTROL_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export interface ControlApiDeps {
  port: () => number;
  scenario: () => Scenario;
  setScenario: (scenario: Scenario) => void;
  reset: () => void;
  stats: () => unknown;
}

function refusal(request: EmulatorRequest, port: number): string | null {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // HTTP/2 carries the host in the :authority pseudo-header.
  const host = request.headers.host ?? (request.headers[':authority'] as string | undefined) ?? '';
  if (!allowedHosts.includes(host)) return `Host "${host}" is not this emulator`;
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((allowed) => origin === `http://${allowed}`)) {
    return `Origin "${origin}" may not call the emulator's control API`;
  }
  return null;
}

export async function answerControl(deps: ControlApiDeps, request: EmulatorRequest, response: EmulatorResponse, pathname: string) {
  const refused = refusal(request, deps.port());
  if (refused) {
    sendJson(response, 403, { message: refused });
    return;
  }
  const route = `${request.method} ${pathname.slice(CONTROL_PREFIX.length - 1)}`;
  switch (route) {
    case 'GET /stats':
      sendJson(response, 200, deps.stats());
      return;
    case 'POST /reset':
      deps.reset();
      sendJson(response, 200, { ok: true });
      return;
    case 'GET /scenario':
      sendJson(response, 200, deps.scenario());
      return;
    case 'PUT /scenario':
      try {
        deps.setScenario(parseScenario(JSON.parse(await readCappedBody(request)), 'scenario body'));
        sendJson(response, 200, { ok: true, scenario: deps.scenario() });
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          sendJson(response, 413, { message: `A control body is at most ${MAX_CONTROL_BODY_BYTES} bytes` });
          return;
        }
        const message = error instanceof ScenarioError ? error.message : `Invalid scenario body: ${(error as Error).message}`;
        sendJson(response, 400, { message });
      }
      return;
    default:
      sendJson(response, 404, { message: `No emulator control route ${request.method} ${pathname}` });
  }
}
