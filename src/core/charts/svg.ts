/**
 * Headless charts: compile a Vega-Lite spec (collecting warnings, so tests can require none) and
 * render it to SVG in Node for reports. vega and vega-lite load on first use only.
 */
import type { VegaLiteSpec } from './timeline';

export interface CompiledChart {
  readonly vega: unknown;
  readonly warnings: readonly string[];
}

type Loaded = { vl: typeof import('vega-lite'); vega: typeof import('vega') };
let loading: Promise<Loaded> | undefined;
function load(): Promise<Loaded> {
  loading ??= Promise.all([import('vega-lite'), import('vega')]).then(([vl, vega]) => ({ vl, vega }));
  return loading;
}

/** Compiles to Vega; every Vega-Lite warning and error is collected rather than logged. */
export async function compileChart(spec: VegaLiteSpec, width = 900): Promise<CompiledChart> {
  const { vl } = await load();
  const warnings: string[] = [];
  const logger = {
    level(): number {
      return 0;
    },
    error: (...a: unknown[]) => (warnings.push(a.map(String).join(' ')), logger),
    warn: (...a: unknown[]) => (warnings.push(a.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  // "container" width only exists in a page; headless rendering uses a fixed width.
  const sized = spec.width === 'container' ? { ...spec, width } : spec;
  // Specs are built by this module's callers as plain objects; vega-lite validates them as it compiles.
  const compiled = vl.compile(sized as unknown as Parameters<typeof vl.compile>[0], { logger: logger as never });
  return { vega: compiled.spec, warnings };
}

/** SVG text for a spec, for reports and `casebook run --charts`. */
export async function chartToSvg(spec: VegaLiteSpec, width = 900): Promise<string> {
  const { vega } = await load();
  const { vega: vgSpec } = await compileChart(spec, width);
  const view = new vega.View(vega.parse(vgSpec as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
