/** `#/capacity?model=ID&from=REGION`: the Capacity page opened on one model and source region (the cell panel links here). */
export function capacityLink(modelId: string, from: string): string {
  return `#/capacity?${new URLSearchParams({ model: modelId, from }).toString()}`;
}

/** The model and source region a link to the Capacity page asks for, when it names them. */
export function capacityLinkTarget(hash: string): { model: string | null; from: string | null } {
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  return { model: query.get('model'), from: query.get('from') };
}
