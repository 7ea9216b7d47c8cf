import { useSyncExternalStore } from 'react';

/**
 * Chart colours as concrete values (an exported PNG has no stylesheet): the Okabe–Ito palette, safe for the
 * common colour-vision deficiencies, with yellow left out on white and black left out on dark, and the
 * page's text and grid colours for each theme.
 */

/** Seven colours, so that a chart can name a fixed one (`series[5]`) and the type knows it is there. */
export type Palette = readonly [string, string, string, string, string, string, string];

export interface ChartTheme {
  dark: boolean;
  series: Palette;
  text: string;
  muted: string;
  grid: string;
  background: string;
}

const LIGHT: ChartTheme = {
  dark: false,
  series: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'],
  text: '#1b1f27',
  muted: '#646c7a',
  grid: '#d9dde5',
  background: '#ffffff',
};

const DARK: ChartTheme = {
  dark: true,
  series: ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#D55E00', '#0072B2'],
  text: '#e4e7ec',
  muted: '#8d96a5',
  grid: '#2c323d',
  background: '#171b22',
};

/** Beyond the palette's seven colours a series also gets a dash pattern, so no two lines look alike. */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3'] as const;

// The modulo keeps both indexes in range; the fallbacks only satisfy the type.
export const seriesColor = (theme: ChartTheme, index: number): string => theme.series[index % theme.series.length] ?? theme.series[0];
export const seriesDash = (theme: ChartTheme, index: number): string => DASHES[Math.floor(index / theme.series.length) % DASHES.length] ?? DASHES[0];

const currentTheme = () => (document.documentElement.dataset.theme === 'dark' ? DARK : LIGHT);

function subscribe(listener: () => void) {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/** The palette of the page's current theme; charts re-render when the theme changes. */
export function useChartTheme(): ChartTheme {
  return useSyncExternalStore(subscribe, currentTheme);
}
