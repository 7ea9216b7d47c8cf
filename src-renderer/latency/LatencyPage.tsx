/** The latency lab is a later issue; this page says what it will do rather than showing invented numbers. */
export function LatencyPage() {
  return (
    <section className="empty-state" aria-labelledby="latency-title">
      <h1 id="latency-title">Latency lab</h1>
      <p>Not measured yet. The latency lab arrives in a later release and will measure, per region and route:</p>
      <ul>
        <li>network round trips, cold (new connection) and warm (pooled)</li>
        <li>time to first token and output tokens per second, streaming</li>
        <li>p50 / p90 / p99 over runs, errors and throttles, with history and a ranking</li>
      </ul>
      <p>Until then the Matrix ranks routes by access type (on demand, geo profile, global profile).</p>
    </section>
  );
}
