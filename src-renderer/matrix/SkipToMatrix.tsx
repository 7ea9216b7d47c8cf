/**
 * The first stop for keyboard users: jumps past the page navigation straight into the matrix (opening the
 * Matrix page first when another page is shown).
 */
export function SkipToMatrix() {
  const focusGrid = (attempt = 0) => {
    const grid = document.getElementById('matrix-grid');
    if (grid) grid.focus();
    // The page may still be switching or loading its catalog.
    else if (attempt < 50) setTimeout(() => focusGrid(attempt + 1), 100);
  };
  return (
    <a
      className="skip-link"
      href="#/matrix"
      onClick={(event) => {
        event.preventDefault();
        if (!/^#\/?matrix$/.test(window.location.hash) && window.location.hash.replace(/^#\/?/, '') !== '') window.location.hash = '#/matrix';
        focusGrid();
      }}
    >
      Skip to the matrix
    </a>
  );
}
