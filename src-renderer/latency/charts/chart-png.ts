import type { ChartTheme } from './chart-theme';

/**
 * A chart as a PNG file: its SVG, with the styles the stylesheet gave it written inline (an image has no
 * stylesheet), drawn through a data: URL (the CSP allows `img-src data:`; nothing is loaded from elsewhere)
 * onto a canvas under the chart's title and legend, then downloaded as a blob.
 */

export interface LegendEntry {
  label: string;
  color: string;
}

const STYLE_PROPERTIES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'dominant-baseline'];
const SCALE = 2;
const PADDING = 16;
const TITLE_HEIGHT = 28;
const LEGEND_HEIGHT = 22;

function inlineStyles(source: Element, copy: Element) {
  const computed = getComputedStyle(source);
  const style = STYLE_PROPERTIES.map((property) => `${property}:${computed.getPropertyValue(property)}`).join(';');
  copy.setAttribute('style', style);
  for (let index = 0; index < source.children.length; index++) {
    const [sourceChild, copyChild] = [source.children[index], copy.children[index]];
    // The copy is a clone of the source: the same children at the same places.
    if (sourceChild && copyChild) inlineStyles(sourceChild, copyChild);
  }
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
    image.src = url;
  });
}

export async function chartPngBlob(svg: SVGSVGElement, title: string, legend: LegendEntry[], theme: ChartTheme): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const image = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`);

  const header = TITLE_HEIGHT + (legend.length > 0 ? LEGEND_HEIGHT : 0);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil((width + PADDING * 2) * SCALE);
  canvas.height = Math.ceil((height + header + PADDING * 2) * SCALE);
  const context = canvas.getContext('2d')!;
  context.scale(SCALE, SCALE);
  context.fillStyle = theme.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.textBaseline = 'middle';
  context.fillStyle = theme.text;
  context.font = `600 14px ${getComputedStyle(document.body).fontFamily}`;
  context.fillText(title, PADDING, PADDING + TITLE_HEIGHT / 2 - 4);
  context.font = `12px ${getComputedStyle(document.body).fontFamily}`;
  let x = PADDING;
  for (const entry of legend) {
    context.fillStyle = entry.color;
    context.fillRect(x, PADDING + TITLE_HEIGHT + 4, 10, 10);
    context.fillStyle = theme.text;
    context.fillText(entry.label, x + 14, PADDING + TITLE_HEIGHT + 9);
    x += 14 + context.measureText(entry.label).width + 16;
  }
  context.drawImage(image, PADDING, PADDING + header, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))), 'image/png'));
}

/** Saves a blob under a file name through a temporary link (the browser's or the desktop app's download). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
