/** Runs a flush later: the renderer's fast streams use it to touch React at most once per animation frame. */
export type Scheduler = (flush: () => void) => void;

/** At the next animation frame; a hidden tab (no frames) is still updated within a second. */
export const frameScheduler: Scheduler = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flush();
  };
  requestAnimationFrame(run);
  setTimeout(run, 1000);
};
