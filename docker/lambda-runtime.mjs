// A container-image Lambda runs a program that speaks the Lambda Runtime API: it asks for the next invocation, does
// the work, and answers. This one runs `bedrock-atlas monitor --once` per invocation (an EventBridge schedule), so the
// monitor image serves as a Lambda function with no other dependency. Lambda's file system is read-only except
// /tmp, so the monitor's data goes there unless the function's environment says otherwise.
import { spawn } from 'node:child_process';
import process from 'node:process';

/* global fetch -- Node 18 and later have it; the image runs Node 22. */

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const config = process.env.MONITOR_CONFIG ?? '/config/monitor.json';
const writable = { HOME: '/tmp', TMPDIR: '/tmp', XDG_CONFIG_HOME: '/tmp/config', XDG_CACHE_HOME: '/tmp/cache', XDG_DATA_HOME: '/tmp' };

function runOnce() {
  return new Promise((resolve) => {
    const child = spawn('bedrock-atlas', ['monitor', '--config', config, '--once'], { env: { ...process.env, ...writable }, stdio: ['ignore', 'inherit', 'inherit'] });
    // Lambda freezes or ends the sandbox at its timeout: a SIGTERM gives the monitor its bounded stop first.
    const stop = () => child.kill('SIGTERM');
    process.once('SIGTERM', stop);
    child.on('exit', (code) => {
      process.off('SIGTERM', stop);
      resolve(code ?? 1);
    });
  });
}

for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const requestId = next.headers.get('lambda-runtime-aws-request-id');
  await next.arrayBuffer();
  const code = await runOnce();
  if (code === 0) {
    await fetch(`${api}/invocation/${requestId}/response`, { method: 'POST', body: JSON.stringify({ status: 'ok' }) });
  } else {
    const error = { errorType: 'MonitorCycleFailed', errorMessage: `bedrock-atlas monitor --once exited ${code}; its JSON log line says why` };
    await fetch(`${api}/invocation/${requestId}/error`, { method: 'POST', body: JSON.stringify(error), headers: { 'lambda-runtime-function-error-type': error.errorType } });
  }
}
