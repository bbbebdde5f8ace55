/**
 * Zoom and pan for charts inside a notebook. The wheel alone keeps scrolling the notebook (a chart
 * that swallowed it would trap the reader); Ctrl or ⌘ with the wheel — also a trackpad pinch —
 * zooms, and dragging pans.
 */
export const ZOOM_HINT = 'drag to pan, Ctrl+scroll (⌘+scroll) to zoom';

const ZOOM_EVENTS = 'wheel![event.ctrlKey || event.metaKey]';

/** The selection parameter that binds the chart's scales to zoom and pan (`x` only for time axes). */
export function zoomParam(encodings: readonly ('x' | 'y')[] = ['x']): { name: string; select: { type: 'interval'; encodings: ('x' | 'y')[]; zoom: string }; bind: 'scales' } {
  return { name: 'zoom', select: { type: 'interval', encodings: [...encodings], zoom: ZOOM_EVENTS }, bind: 'scales' };
}
