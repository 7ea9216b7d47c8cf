/** The playground is a later issue; this page says what it will do. */
export function PlaygroundPage() {
  return (
    <section className="empty-state" aria-labelledby="playground-title">
      <h1 id="playground-title">Playground</h1>
      <p>Not available yet. The playground arrives in a later release: one prompt streamed through several regions or
        inference profiles side by side, with time to first token, tokens per second and the exact ids used.</p>
      <p>Meanwhile the Matrix side panel gives the exact ids to call from each region.</p>
    </section>
  );
}
