/**
 * A line an overlay adds to a cell's tooltip while it is on ("which route this figure is of"). The tooltip is built
 * when the pointer reaches a cell, so the grid reads the current note then; setting one re-renders nothing.
 */
export type CellNote = (modelId: string, region: string) => string | null;

export interface CellNotes {
  get: CellNote;
  set: (note: CellNote | null) => void;
}

export function createCellNotes(): CellNotes {
  let current: CellNote | null = null;
  return {
    get: (modelId, region) => current?.(modelId, region) ?? null,
    set: (note) => {
      current = note;
    },
  };
}
