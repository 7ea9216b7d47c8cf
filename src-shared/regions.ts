/**
 * The commercial AWS regions that have a Bedrock endpoint (botocore endpoints.json, 2026),
 * grouped by geography so tables can put neighbours side by side.
 */
export const REGION_GROUPS = {
  'North America': ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'mx-central-1'],
  'South America': ['sa-east-1'],
  Europe: ['eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
  'Middle East & Africa': ['il-central-1', 'me-central-1', 'me-south-1', 'af-south-1'],
  'Asia Pacific': [
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
  ],
} as const satisfies Record<string, readonly string[]>;

export type RegionGroup = keyof typeof REGION_GROUPS;
export type CommercialRegion = (typeof REGION_GROUPS)[RegionGroup][number];

export const COMMERCIAL_REGIONS: readonly CommercialRegion[] = Object.values(REGION_GROUPS).flat();

export function isCommercialRegion(name: string): name is CommercialRegion {
  return (COMMERCIAL_REGIONS as readonly string[]).includes(name);
}

export function regionGroupOf(region: string): RegionGroup | undefined {
  return (Object.keys(REGION_GROUPS) as RegionGroup[]).find((group) =>
    (REGION_GROUPS[group] as readonly string[]).includes(region),
  );
}

/**
 * Parses a `--regions` style value: `all`, or a comma separated list of region names.
 * Throws an Error naming the valid choices when a name is unknown.
 */
export function parseRegionList(value: string): CommercialRegion[] {
  const trimmed = value.trim();
  if (trimmed === '' ) throw new Error(`No region given. Use "all" or a comma separated list of: ${COMMERCIAL_REGIONS.join(', ')}`);
  if (trimmed.toLowerCase() === 'all') return [...COMMERCIAL_REGIONS];
  const names = [...new Set(trimmed.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  const unknown = names.filter((name) => !isCommercialRegion(name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown region${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}. Valid choices: all, ${COMMERCIAL_REGIONS.join(', ')}`,
    );
  }
  return names as CommercialRegion[];
}

/**
 * Regions in the catalog's geographic order (North America first, as the matrix shows them), unknown ones last by
 * name. A catalog document's own key order is the order its regions answered in, which a refresh changes: lists
 * the user picks from must not reorder after a refresh.
 */
export function inGeographicOrder(regions: Iterable<string>): string[] {
  const rank = (region: string) => {
    const index = (COMMERCIAL_REGIONS as readonly string[]).indexOf(region);
    return index < 0 ? COMMERCIAL_REGIONS.length : index;
  };
  return [...new Set(regions)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
