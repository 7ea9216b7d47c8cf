/** The lab's definitions, in the words of the issue and docs/latency.md, so a figure is never guessed at. */
export function HelpPanel() {
  return (
    <details className="lat-help" data-testid="latency-help">
      <summary>What the figures mean</summary>
      <dl>
        <dt>TTFT (time to first token)</dt>
        <dd>From the moment the request is handed to the socket, to the first non-empty content delta.</dd>
        <dt>E2E (end to end)</dt>
        <dd>From the same moment to the last content delta (or messageStop when it comes later).</dd>
        <dt>Inter-token latency (ITL)</dt>
        <dd>(E2E − TTFT) / (outputTokens − 1), where outputTokens comes from Bedrock’s usage, not a local tokenizer; undefined when outputTokens &lt; 2.</dd>
        <dt>Output speed</dt>
        <dd>1 / ITL in tokens per second, which excludes TTFT. End-to-end tokens/s (outputTokens / E2E) is shown beside it, labelled as such, for comparison with LLMPerf.</dd>
        <dt>Server latency</dt>
        <dd>Bedrock’s own metadata.metrics.latencyMs.</dd>
        <dt>Client overhead</dt>
        <dd>E2E − server latency: the network, TLS, the SDK and event-stream parsing.</dd>
        <dt>Largest gap</dt>
        <dd>The largest gap between two consecutive chunks, to spot stalls that a mean hides.</dd>
        <dt>Aggregates</dt>
        <dd>Per region and route: p50, p90, p99, mean, min, max and the standard deviation; samples; errors by class (throttled, access denied, validation, timeout, other); connections opened and reused.</dd>
        <dt>No silent retries</dt>
        <dd>Measured requests are never retried. A throttled request counts as throttled and the run goes on, so that a retry never hides inside a latency figure. One warm-up request per route is not counted.</dd>
        <dt>Network probe</dt>
        <dd>DNS lookup, TCP connect, TLS handshake and time to first byte for each region’s bedrock-runtime endpoint. Cold means a new connection; warm means one taken from the pool.</dd>
      </dl>
    </details>
  );
}
