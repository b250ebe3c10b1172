/**
 * The real binary files a seeded sandbox stores: a photo of a children's sandbox (JPEG), the drawing
 * sheets (vector PDF, PNG rendering, PNG thumbnail) and the project documents (PDF, text, CSV, PNG).
 *
 * Everything is drawn from code, deterministically: no clock, no randomness (textures come from an
 * integer hash), fixed PDF dates and metadata, so every call yields the same bytes. PDFs are
 * compressed by pdf-lib's bundled pako and JPEGs by jpeg-js (pure JS, portable); PNGs are deflated
 * by Node's zlib, stable for a given Node build. `loadSeedAssets()` generates once per process.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import {
  LineCapStyle,
  PDFDocument,
  StandardFonts,
  appendBezierCurve,
  closePath,
  fill,
  fillAndStroke,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setDashPattern,
  setFillingRgbColor,
  setLineCap,
  setLineWidth,
  setStrokingRgbColor,
  stroke,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import type { AssetFile, DrawingSheetAssets, DrawingSheetSpec, SeedAssets } from './assets-types.js';
import { DOCUMENT_FILES, DRAWING_SHEETS, PROJECT, SCHEDULE_TASKS, SEED_USERS, VENDORS } from './content.js';

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

let memo: Promise<SeedAssets> | undefined;

/** The seed's binary assets, generated on first use and shared for the rest of the process. */
export function loadSeedAssets(): Promise<SeedAssets> {
  memo ??= generateSeedAssets().catch((err: unknown) => {
    memo = undefined;
    throw err;
  });
  return memo;
}

/** Generates every asset afresh (not memoized). Deterministic: same bytes on every call. */
export async function generateSeedAssets(): Promise<SeedAssets> {
  const sandboxPhoto = renderSandboxPhotoAssets();
  const drawings: Record<string, DrawingSheetAssets> = {};
  for (const [i, spec] of DRAWING_SHEETS.entries()) {
    drawings[spec.number] = await drawingSheetAssets(spec, i + 1, DRAWING_SHEETS.length);
  }
  const documents: Record<string, AssetFile> = {
    primeContract: file('primeContract', await primeContractPdf()),
    specConcrete: file('specConcrete', await concreteSpecPdf()),
    meetingMinutes: file('meetingMinutes', Buffer.from(meetingMinutesText(), 'utf8')),
    projectDirectory: file('projectDirectory', Buffer.from(projectDirectoryCsv(), 'utf8')),
    sitePlan: file('sitePlan', encodePng(renderSheetRaster(siteLogisticsSheet(), 1200, 800), false)),
  };
  return { sandboxPhoto, drawings, documents };
}

function file(key: keyof typeof DOCUMENT_FILES, data: Buffer): AssetFile {
  const { filename, contentType } = DOCUMENT_FILES[key];
  return { filename, contentType, data };
}

// ---------------------------------------------------------------------------------------------
// Colours, noise, helpers
// ---------------------------------------------------------------------------------------------

/** A colour packed as 0xRRGGBB. */
type Color = number;
type Pt = readonly [number, number];

function clamp255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

function pack(r: number, g: number, b: number): Color {
  return (clamp255(r) << 16) | (clamp255(g) << 8) | clamp255(b);
}

function shade(c: Color, k: number): Color {
  return pack(((c >> 16) & 255) * k, ((c >> 8) & 255) * k, (c & 255) * k);
}

function mix(a: Color, b: Color, t: number): Color {
  const ar = (a >> 16) & 255;
  const ag = (a >> 8) & 255;
  const ab = a & 255;
  return pack(ar + (((b >> 16) & 255) - ar) * t, ag + (((b >> 8) & 255) - ag) * t, ab + ((b & 255) - ab) * t);
}

function r2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Integer hash of a lattice point to [0, 1). */
function hash2(x: number, y: number, seed: number): number {
  let h = (Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 1442695041)) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1). */
function vnoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash2(ix, iy, seed);
  const b = hash2(ix + 1, iy, seed);
  const c = hash2(ix, iy + 1, seed);
  const d = hash2(ix + 1, iy + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Fractal noise in about [0, 1). */
function fbm(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0;
  let amp = 0.5;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * vnoise(x, y, seed + o * 17);
    norm += amp;
    amp *= 0.5;
    x *= 2.03;
    y *= 2.03;
  }
  return sum / norm;
}

// ---------------------------------------------------------------------------------------------
// Raster: an RGBA canvas with anti-aliased polygon filling, strokes and a 5x7 bitmap font
// ---------------------------------------------------------------------------------------------

type Paint = Color | ((x: number, y: number) => Color);

const SUBSAMPLES = 4;

class Raster {
  readonly data: Buffer;
  readonly #cov: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Color = 0xffffff,
  ) {
    this.data = Buffer.alloc(width * height * 4, Buffer.from([(background >> 16) & 255, (background >> 8) & 255, background & 255, 255]));
    this.#cov = new Float32Array(width + 1);
  }

  set(x: number, y: number, c: Color): void {
    const o = (y * this.width + x) * 4;
    this.data[o] = (c >> 16) & 255;
    this.data[o + 1] = (c >> 8) & 255;
    this.data[o + 2] = c & 255;
  }

  blend(x: number, y: number, c: Color, a: number): void {
    const o = (y * this.width + x) * 4;
    const d = this.data;
    const r0 = d[o] ?? 0;
    const g0 = d[o + 1] ?? 0;
    const b0 = d[o + 2] ?? 0;
    d[o] = clamp255(r0 + (((c >> 16) & 255) - r0) * a);
    d[o + 1] = clamp255(g0 + (((c >> 8) & 255) - g0) * a);
    d[o + 2] = clamp255(b0 + ((c & 255) - b0) * a);
  }

  /** Fills the union (non-zero winding) of polygons, anti-aliased. */
  fillPolys(polys: readonly (readonly Pt[])[], paint: Paint, alpha = 1): void {
    interface Edge {
      x: number;
      y0: number;
      y1: number;
      slope: number;
      dir: number;
    }
    const edges: Edge[] = [];
    let minY = Infinity;
    let maxY = -Infinity;
    for (const poly of polys) {
      const n = poly.length;
      for (let i = 0; i < n; i++) {
        const a = poly[i];
        const b = poly[(i + 1) % n];
        if (!a || !b || a[1] === b[1]) continue;
        const [top, bottom, dir] = a[1] < b[1] ? [a, b, 1] : [b, a, -1];
        edges.push({ x: top[0], y0: top[1], y1: bottom[1], slope: (bottom[0] - top[0]) / (bottom[1] - top[1]), dir });
        minY = Math.min(minY, top[1]);
        maxY = Math.max(maxY, bottom[1]);
      }
    }
    if (edges.length === 0) return;
    edges.sort((p, q) => p.y0 - q.y0);
    const W = this.width;
    const cov = this.#cov;
    const yStart = Math.max(0, Math.floor(minY));
    const yEnd = Math.min(this.height - 1, Math.ceil(maxY));
    let next = 0;
    const active: Edge[] = [];
    const xs: number[] = [];
    const ds: number[] = [];
    const w = 1 / SUBSAMPLES;
    for (let y = yStart; y <= yEnd; y++) {
      let cmin = W;
      let cmax = -1;
      for (let s = 0; s < SUBSAMPLES; s++) {
        const sy = y + (s + 0.5) / SUBSAMPLES;
        while (next < edges.length && (edges[next]?.y0 ?? Infinity) <= sy) active.push(edges[next++] as Edge);
        let kept = 0;
        for (const e of active) if (e.y1 > sy) active[kept++] = e;
        active.length = kept;
        xs.length = 0;
        ds.length = 0;
        for (const e of active) {
          const x = e.x + (sy - e.y0) * e.slope;
          // insertion sort by x
          let k = xs.length;
          xs.push(x);
          ds.push(e.dir);
          while (k > 0 && (xs[k - 1] ?? 0) > x) {
            xs[k] = xs[k - 1] ?? 0;
            ds[k] = ds[k - 1] ?? 0;
            k--;
          }
          xs[k] = x;
          ds[k] = e.dir;
        }
        let wind = 0;
        let spanStart = 0;
        for (let k = 0; k < xs.length; k++) {
          const before = wind;
          wind += ds[k] ?? 0;
          const x = xs[k] ?? 0;
          if (before === 0 && wind !== 0) {
            spanStart = x;
            continue;
          }
          if (before === 0 || wind !== 0) continue;
          // span [spanStart, x) is inside
          const xa = Math.max(spanStart, 0);
          const xb = Math.min(x, W);
          if (xb <= xa) continue;
          const ia = Math.floor(xa);
          const ib = Math.floor(xb);
          if (ia === ib) cov[ia] = (cov[ia] ?? 0) + (xb - xa) * w;
          else {
            cov[ia] = (cov[ia] ?? 0) + (ia + 1 - xa) * w;
            for (let i = ia + 1; i < ib; i++) cov[i] = (cov[i] ?? 0) + w;
            cov[ib] = (cov[ib] ?? 0) + (xb - ib) * w;
          }
          if (ia < cmin) cmin = ia;
          if (ib > cmax) cmax = ib;
        }
      }
      cmax = Math.min(cmax, W - 1);
      for (let x = cmin; x <= cmax; x++) {
        const c = cov[x] ?? 0;
        if (c > 0.001) {
          const color = typeof paint === 'number' ? paint : paint(x + 0.5, y + 0.5);
          this.blend(x, y, color, Math.min(c, 1) * alpha);
        }
        cov[x] = 0;
      }
      cov[W] = 0;
    }
  }

  fillPoly(poly: readonly Pt[], paint: Paint, alpha = 1): void {
    this.fillPolys([poly], paint, alpha);
  }

  /** Strokes a polyline with square caps; `dash` lengths are in pixels. */
  strokePolyline(pts: readonly Pt[], closed: boolean, width: number, paint: Paint, dash?: readonly number[], alpha = 1): void {
    const quads: Pt[][] = [];
    const hw = width / 2;
    const addSeg = (p: Pt, q: Pt): void => {
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      const len = Math.hypot(dx, dy);
      if (len < 1e-9) return;
      const ux = (dx / len) * hw;
      const uy = (dy / len) * hw;
      const nx = -uy;
      const ny = ux;
      quads.push([
        [p[0] - ux + nx, p[1] - uy + ny],
        [q[0] + ux + nx, q[1] + uy + ny],
        [q[0] + ux - nx, q[1] + uy - ny],
        [p[0] - ux - nx, p[1] - uy - ny],
      ]);
    };
    const segs: [Pt, Pt][] = [];
    for (let i = 0; i + 1 < pts.length; i++) segs.push([pts[i] as Pt, pts[i + 1] as Pt]);
    if (closed && pts.length > 2) segs.push([pts[pts.length - 1] as Pt, pts[0] as Pt]);
    if (!dash || dash.length === 0) {
      for (const [p, q] of segs) addSeg(p, q);
    } else {
      let di = 0;
      let left = dash[0] ?? 1;
      let on = true;
      for (const [p, q] of segs) {
        const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
        let t = 0;
        while (t < len - 1e-9) {
          const step = Math.min(left, len - t);
          if (on) {
            const a = t / len;
            const b = (t + step) / len;
            addSeg([p[0] + (q[0] - p[0]) * a, p[1] + (q[1] - p[1]) * a], [p[0] + (q[0] - p[0]) * b, p[1] + (q[1] - p[1]) * b]);
          }
          t += step;
          left -= step;
          if (left <= 1e-9) {
            di = (di + 1) % dash.length;
            left = dash[di] ?? 1;
            on = !on;
          }
        }
      }
    }
    this.fillPolys(quads, paint, alpha);
  }

  fillRectPx(x0: number, y0: number, x1: number, y1: number, c: Color, alpha = 1): void {
    const xa = Math.max(0, Math.round(x0));
    const xb = Math.min(this.width, Math.round(x1));
    const ya = Math.max(0, Math.round(y0));
    const yb = Math.min(this.height, Math.round(y1));
    for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) this.blend(x, y, c, alpha);
  }

  /**
   * Draws text with the 5x7 bitmap font, its baseline at `y`, scaled to `capPx` cap height. Text too
   * small to read at this resolution is "greeked" as a light bar, like a plotter preview.
   */
  text(x: number, y: number, text: string, capPx: number, color: Color, align: Align, estWidthPx: number, maxWidthPx?: number): void {
    const s0 = capPx >= 4.5 ? Math.max(1, Math.round(capPx / 7)) : 0;
    const widthAt = (s: number): number => text.length * 6 * s - s;
    let s = s0;
    while (s > 1 && maxWidthPx !== undefined && widthAt(s) > maxWidthPx) s--;
    if (s === 0 || (maxWidthPx !== undefined && widthAt(s) > maxWidthPx * 1.05)) {
      const w = Math.min(estWidthPx, maxWidthPx ?? estWidthPx);
      const x0 = align === 'center' ? x - w / 2 : align === 'right' ? x - w : x;
      const h = Math.max(1, capPx * 0.8);
      this.fillPoly(
        [
          [x0, y - h],
          [x0 + w, y - h],
          [x0 + w, y],
          [x0, y],
        ],
        color,
        0.35,
      );
      return;
    }
    const total = widthAt(s);
    let cx = Math.round(align === 'center' ? x - total / 2 : align === 'right' ? x - total : x);
    const top = Math.round(y) - 7 * s;
    for (const ch of text.toUpperCase()) {
      const rows = glyph(ch);
      for (let row = 0; row < 7; row++) {
        const bits = rows[row] ?? '';
        for (let col = 0; col < 5; col++) {
          if (bits[col] === '1') this.fillRectPx(cx + col * s, top + row * s, cx + col * s + s, top + row * s + s, color);
        }
      }
      cx += 6 * s;
    }
  }
}

type Align = 'left' | 'center' | 'right';

/** 5x7 bitmap glyphs, rows top to bottom. */
const FONT: Record<string, string> = {
  A: '01110,10001,10001,11111,10001,10001,10001',
  B: '11110,10001,10001,11110,10001,10001,11110',
  C: '01110,10001,10000,10000,10000,10001,01110',
  D: '11110,10001,10001,10001,10001,10001,11110',
  E: '11111,10000,10000,11110,10000,10000,11111',
  F: '11111,10000,10000,11110,10000,10000,10000',
  G: '01110,10001,10000,10111,10001,10001,01111',
  H: '10001,10001,10001,11111,10001,10001,10001',
  I: '01110,00100,00100,00100,00100,00100,01110',
  J: '00111,00010,00010,00010,00010,10010,01100',
  K: '10001,10010,10100,11000,10100,10010,10001',
  L: '10000,10000,10000,10000,10000,10000,11111',
  M: '10001,11011,10101,10101,10001,10001,10001',
  N: '10001,10001,11001,10101,10011,10001,10001',
  O: '01110,10001,10001,10001,10001,10001,01110',
  P: '11110,10001,10001,11110,10000,10000,10000',
  Q: '01110,10001,10001,10001,10101,10010,01101',
  R: '11110,10001,10001,11110,10100,10010,10001',
  S: '01111,10000,10000,01110,00001,00001,11110',
  T: '11111,00100,00100,00100,00100,00100,00100',
  U: '10001,10001,10001,10001,10001,10001,01110',
  V: '10001,10001,10001,10001,10001,01010,00100',
  W: '10001,10001,10001,10101,10101,10101,01010',
  X: '10001,10001,01010,00100,01010,10001,10001',
  Y: '10001,10001,10001,01010,00100,00100,00100',
  Z: '11111,00001,00010,00100,01000,10000,11111',
  '0': '01110,10001,10011,10101,11001,10001,01110',
  '1': '00100,01100,00100,00100,00100,00100,01110',
  '2': '01110,10001,00001,00010,00100,01000,11111',
  '3': '11111,00010,00100,00010,00001,10001,01110',
  '4': '00010,00110,01010,10010,11111,00010,00010',
  '5': '11111,10000,11110,00001,00001,10001,01110',
  '6': '00110,01000,10000,11110,10001,10001,01110',
  '7': '11111,00001,00010,00100,01000,01000,01000',
  '8': '01110,10001,10001,01110,10001,10001,01110',
  '9': '01110,10001,10001,01111,00001,00010,01100',
  ' ': '00000,00000,00000,00000,00000,00000,00000',
  '-': '00000,00000,00000,11111,00000,00000,00000',
  '.': '00000,00000,00000,00000,00000,01100,01100',
  ',': '00000,00000,00000,00000,01100,00100,01000',
  ':': '00000,01100,01100,00000,01100,01100,00000',
  '/': '00000,00001,00010,00100,01000,10000,00000',
  '&': '01100,10010,10100,01000,10101,10010,01101',
  '(': '00010,00100,01000,01000,01000,00100,00010',
  ')': '01000,00100,00010,00010,00010,00100,01000',
  "'": '00100,00100,01000,00000,00000,00000,00000',
  '"': '01010,01010,01010,00000,00000,00000,00000',
  '#': '01010,01010,11111,01010,11111,01010,01010',
  '=': '00000,00000,11111,00000,11111,00000,00000',
  '+': '00000,00100,00100,11111,00100,00100,00000',
  '%': '11000,11001,00010,00100,01000,10011,00011',
  '|': '00100,00100,00100,00100,00100,00100,00100',
};
const UNKNOWN_GLYPH = '11111,10001,10001,10001,10001,10001,11111';

function glyph(ch: string): string[] {
  return (FONT[ch] ?? UNKNOWN_GLYPH).split(',');
}

/** Area-average downscale. */
function downsample(src: Raster, dw: number, dh: number): Raster {
  const out = new Raster(dw, dh);
  const sw = src.width;
  const sh = src.height;
  for (let dy = 0; dy < dh; dy++) {
    const y0 = Math.floor((dy * sh) / dh);
    const y1 = Math.max(y0 + 1, Math.floor(((dy + 1) * sh) / dh));
    for (let dx = 0; dx < dw; dx++) {
      const x0 = Math.floor((dx * sw) / dw);
      const x1 = Math.max(x0 + 1, Math.floor(((dx + 1) * sw) / dw));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const o = (y * sw + x) * 4;
          r += src.data[o] ?? 0;
          g += src.data[o + 1] ?? 0;
          b += src.data[o + 2] ?? 0;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      out.set(dx, dy, pack(r / n, g / n, b / n));
    }
  }
  return out;
}

/** Encodes as 8-bit greyscale or RGB (no alpha), packing the pixels here rather than in pngjs. */
function encodePng(r: Raster, grayscale: boolean): Buffer {
  const n = r.width * r.height;
  const bpp = grayscale ? 1 : 3;
  const out = Buffer.alloc(n * bpp);
  const d = r.data;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    if (grayscale) out[i] = Math.round(((d[o] ?? 0) * 299 + (d[o + 1] ?? 0) * 587 + (d[o + 2] ?? 0) * 114) / 1000);
    else {
      out[i * 3] = d[o] ?? 0;
      out[i * 3 + 1] = d[o + 1] ?? 0;
      out[i * 3 + 2] = d[o + 2] ?? 0;
    }
  }
  const png = new PNG({ width: r.width, height: r.height });
  png.data = out;
  const colorType = grayscale ? 0 : 2;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, deflateLevel: 9, filterType: 4 });
}

function encodeJpeg(r: Raster, quality: number): Buffer {
  return Buffer.from(jpeg.encode({ data: r.data, width: r.width, height: r.height }, quality).data);
}

// ---------------------------------------------------------------------------------------------
// Sheet model: vector primitives in inches (origin top-left, y down), rendered to PDF and raster
// ---------------------------------------------------------------------------------------------

interface StrokeStyle {
  /** Line weight in points. */
  w: number;
  color?: Color;
  /** Dash pattern in inches. */
  dash?: readonly number[];
}

type Prim =
  | { k: 'path'; pts: readonly Pt[]; closed: boolean; stroke?: StrokeStyle; fill?: Color }
  | { k: 'circle'; cx: number; cy: number; r: number; stroke?: StrokeStyle; fill?: Color }
  | { k: 'text'; x: number; y: number; size: number; text: string; bold: boolean; align: Align; color: Color; maxWidth?: number };

interface TextOpts {
  bold?: boolean;
  align?: Align;
  color?: Color;
  maxWidth?: number;
}

const DASHED: readonly number[] = [0.18, 0.09];
const CENTER: readonly number[] = [0.6, 0.1, 0.1, 0.1];
const PROPERTY: readonly number[] = [0.7, 0.12, 0.12, 0.12, 0.12, 0.12];

class Sheet {
  readonly prims: Prim[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  line(x1: number, y1: number, x2: number, y2: number, w = 0.7, dash?: readonly number[], color?: Color): void {
    this.path(
      [
        [x1, y1],
        [x2, y2],
      ],
      false,
      { w, dash, color },
    );
  }

  path(pts: readonly Pt[], closed: boolean, strokeStyle?: StrokeStyle, fillColor?: Color): void {
    this.prims.push({ k: 'path', pts, closed, stroke: strokeStyle, fill: fillColor });
  }

  rect(x: number, y: number, w: number, h: number, strokeStyle?: StrokeStyle, fillColor?: Color): void {
    this.path(
      [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
      ],
      true,
      strokeStyle,
      fillColor,
    );
  }

  circle(cx: number, cy: number, r: number, strokeStyle?: StrokeStyle, fillColor?: Color): void {
    this.prims.push({ k: 'circle', cx, cy, r, stroke: strokeStyle, fill: fillColor });
  }

  /** Arc from angle a0 to a1 (degrees, clockwise on the page since y points down). */
  arc(cx: number, cy: number, r: number, a0: number, a1: number, strokeStyle: StrokeStyle): void {
    const n = Math.max(6, Math.ceil(Math.abs(a1 - a0) / 6));
    const pts: Pt[] = [];
    for (let i = 0; i <= n; i++) {
      const a = ((a0 + ((a1 - a0) * i) / n) * Math.PI) / 180;
      pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
    this.path(pts, false, strokeStyle);
  }

  /** `size` in points; `y` is the baseline. */
  text(x: number, y: number, text: string, size: number, opts: TextOpts = {}): void {
    this.prims.push({
      k: 'text',
      x,
      y,
      size,
      text,
      bold: opts.bold ?? false,
      align: opts.align ?? 'left',
      color: opts.color ?? 0,
      maxWidth: opts.maxWidth,
    });
  }

  /** Text vertically centred on `cy`. */
  label(cx: number, cy: number, text: string, size: number, opts: TextOpts = {}): void {
    this.text(cx, cy + size / 200, text, size, { align: 'center', ...opts });
  }
}

function colorArgs(c: Color): [number, number, number] {
  return [((c >> 16) & 255) / 255, ((c >> 8) & 255) / 255, (c & 255) / 255];
}

const KAPPA = 0.5522847498;

function drawSheetPdf(page: PDFPage, sheet: Sheet, regular: PDFFont, bold: PDFFont): void {
  const PT = 72;
  const X = (x: number): number => r2(x * PT);
  const Y = (y: number): number => r2((sheet.height - y) * PT);
  for (const p of sheet.prims) {
    if (p.k === 'text') {
      const font = p.bold ? bold : regular;
      let size = p.size;
      let w = font.widthOfTextAtSize(p.text, size);
      if (p.maxWidth !== undefined && w > p.maxWidth * PT) {
        size = (size * p.maxWidth * PT) / w;
        w = p.maxWidth * PT;
      }
      const x = p.x * PT - (p.align === 'center' ? w / 2 : p.align === 'right' ? w : 0);
      page.drawText(p.text, { x: r2(x), y: Y(p.y), size: r2(size), font, color: rgb(...colorArgs(p.color)) });
      continue;
    }
    const ops: PDFOperator[] = [pushGraphicsState()];
    if (p.fill !== undefined) ops.push(setFillingRgbColor(...colorArgs(p.fill)));
    if (p.stroke) {
      ops.push(setStrokingRgbColor(...colorArgs(p.stroke.color ?? 0)), setLineWidth(p.stroke.w));
      if (p.stroke.dash)
        ops.push(
          setDashPattern(
            p.stroke.dash.map((d) => r2(d * PT)),
            0,
          ),
        );
      else ops.push(setLineCap(LineCapStyle.Projecting));
    }
    if (p.k === 'path') {
      p.pts.forEach((pt, i) => ops.push(i === 0 ? moveTo(X(pt[0]), Y(pt[1])) : lineTo(X(pt[0]), Y(pt[1]))));
      if (p.closed) ops.push(closePath());
    } else {
      const { cx, cy, r } = p;
      const k = r * KAPPA;
      ops.push(
        moveTo(X(cx + r), Y(cy)),
        appendBezierCurve(X(cx + r), Y(cy + k), X(cx + k), Y(cy + r), X(cx), Y(cy + r)),
        appendBezierCurve(X(cx - k), Y(cy + r), X(cx - r), Y(cy + k), X(cx - r), Y(cy)),
        appendBezierCurve(X(cx - r), Y(cy - k), X(cx - k), Y(cy - r), X(cx), Y(cy - r)),
        appendBezierCurve(X(cx + k), Y(cy - r), X(cx + r), Y(cy - k), X(cx + r), Y(cy)),
        closePath(),
      );
    }
    ops.push(p.fill !== undefined && p.stroke ? fillAndStroke() : p.fill !== undefined ? fill() : stroke());
    ops.push(popGraphicsState());
    page.pushOperators(...ops);
  }
}

function renderSheetRaster(sheet: Sheet, width: number, height: number): Raster {
  const r = new Raster(width, height);
  const ppi = width / sheet.width;
  const P = (pt: Pt): Pt => [pt[0] * ppi, pt[1] * ppi];
  const strokeWidth = (w: number): number => Math.max((w / 72) * ppi, 0.8);
  for (const p of sheet.prims) {
    if (p.k === 'text') {
      const capPx = (p.size / 72) * 0.72 * ppi;
      const est = p.text.length * 0.56 * (p.size / 72) * ppi;
      r.text(p.x * ppi, p.y * ppi, p.text, capPx, p.color, p.align, est, p.maxWidth !== undefined ? p.maxWidth * ppi : undefined);
      continue;
    }
    let pts: Pt[];
    let closed: boolean;
    if (p.k === 'path') {
      pts = p.pts.map(P);
      closed = p.closed;
    } else {
      const rp = p.r * ppi;
      const n = Math.min(256, Math.max(16, Math.ceil((2 * Math.PI * rp) / 2)));
      pts = [];
      for (let i = 0; i < n; i++)
        pts.push([(p.cx + p.r * Math.cos((2 * Math.PI * i) / n)) * ppi, (p.cy + p.r * Math.sin((2 * Math.PI * i) / n)) * ppi]);
      closed = true;
    }
    if (p.fill !== undefined && pts.length > 2) r.fillPoly(pts, p.fill);
    if (p.stroke) {
      r.strokePolyline(
        pts,
        closed,
        strokeWidth(p.stroke.w),
        p.stroke.color ?? 0,
        p.stroke.dash?.map((d) => d * ppi),
      );
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// PDF helpers
// ---------------------------------------------------------------------------------------------

const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
const ISSUE_DATE = '01/01/2024';

async function newPdf(title: string, subject: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setSubject(subject);
  doc.setAuthor('procore-sandbox');
  doc.setKeywords(['procore-sandbox', PROJECT.display_name]);
  doc.setProducer('procore-sandbox');
  doc.setCreator('procore-sandbox');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  return doc;
}

async function savePdf(doc: PDFDocument): Promise<Buffer> {
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false }));
}

// ---------------------------------------------------------------------------------------------
// Drawing sheets
// ---------------------------------------------------------------------------------------------

const SHEET_W = 36;
const SHEET_H = 24;
const TB_X = 31; // title block left edge
const NOT_FOR_CONSTRUCTION = 'NOT FOR CONSTRUCTION - procore-sandbox';
const THIN: StrokeStyle = { w: 0.5 };
const MEDIUM: StrokeStyle = { w: 1 };

async function drawingSheetAssets(spec: DrawingSheetSpec, index: number, count: number): Promise<DrawingSheetAssets> {
  const sheet = drawingSheet(spec, index, count);
  const doc = await newPdf(`${spec.number} - ${spec.title}`, `${spec.discipline} drawing sheet, ${PROJECT.display_name}`);
  const page = doc.addPage([SHEET_W * 72, SHEET_H * 72]);
  drawSheetPdf(page, sheet, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  const raster = renderSheetRaster(sheet, 1200, 800);
  return {
    pdf: { filename: `${spec.number}.pdf`, contentType: 'application/pdf', data: await savePdf(doc) },
    png: { filename: `${spec.number}.png`, contentType: 'image/png', data: encodePng(raster, true) },
    thumbnail: { filename: `${spec.number}_thumb.png`, contentType: 'image/png', data: encodePng(downsample(raster, 300, 200), true) },
  };
}

function drawingSheet(spec: DrawingSheetSpec, index: number, count: number): Sheet {
  const s = new Sheet(SHEET_W, SHEET_H);
  const kind = sheetKind(spec);
  switch (kind) {
    case 'site':
      sitePlan(s);
      break;
    case 'floor':
      floorPlan(s);
      break;
    case 'elevations':
      elevations(s);
      break;
    case 'foundation':
      foundationPlan(s);
      break;
  }
  titleBlock(s, spec, index, count, kind);
  return s;
}

type SheetKind = 'site' | 'floor' | 'elevations' | 'foundation';

function sheetKind(spec: DrawingSheetSpec): SheetKind {
  const t = spec.title.toLowerCase();
  if (t.includes('site')) return 'site';
  if (t.includes('elevation')) return 'elevations';
  if (t.includes('foundation') || spec.discipline.toLowerCase().startsWith('struct')) return 'foundation';
  return 'floor';
}

const SCALES: Record<SheetKind, string> = {
  site: `1" = 20'-0"`,
  floor: `3/16" = 1'-0"`,
  elevations: `1/8" = 1'-0"`,
  foundation: `3/16" = 1'-0"`,
};

function titleBlock(s: Sheet, spec: DrawingSheetSpec, index: number, count: number, kind: SheetKind): void {
  const x0 = TB_X;
  const x1 = SHEET_W - 0.5;
  const cx = (x0 + x1) / 2;
  const pad = 0.2;
  const tw = x1 - x0 - 2 * pad;
  s.rect(0.5, 0.5, SHEET_W - 1, SHEET_H - 1, { w: 2.5 });
  s.rect(0.38, 0.38, SHEET_W - 0.76, SHEET_H - 0.76, { w: 0.5 });
  s.line(x0, 0.5, x0, SHEET_H - 0.5, 2);
  const rule = (y: number): void => s.line(x0, y, x1, y, 1);
  const caption = (y: number, text: string, x = x0 + pad): void => s.text(x, y, text, 7, { color: 0x555555 });

  // Firm
  s.text(x0 + pad, 1.1, 'SANDBOX DESIGN PARTNERS', 16, { bold: true, maxWidth: tw });
  s.text(x0 + pad, 1.4, 'Architecture  |  Structural Engineering', 9);
  s.text(x0 + pad, 1.62, '100 Example Way, Carpinteria, CA 93013', 9);
  s.text(x0 + pad, 1.84, '(805) 555-0142  |  design@example.com', 9);
  rule(2.1);
  // Project
  caption(2.35, 'PROJECT');
  s.text(x0 + pad, 2.7, PROJECT.display_name, 14, { bold: true, maxWidth: tw });
  s.text(x0 + pad, 2.98, PROJECT.address, 10);
  s.text(x0 + pad, 3.22, `${PROJECT.city}, ${PROJECT.state_code} ${PROJECT.zip}`, 10);
  s.text(x0 + pad, 3.46, 'Owner: Sandbox Owner LLC  |  GC: Sandbox Builders Inc.', 8, { maxWidth: tw });
  rule(3.65);
  // Revisions
  caption(3.9, 'REVISIONS');
  const colA = x0 + 0.55;
  const colB = x0 + 1.55;
  s.text(x0 + pad, 4.18, 'NO.', 7, { bold: true });
  s.text(colA + 0.1, 4.18, 'DATE', 7, { bold: true });
  s.text(colB + 0.1, 4.18, 'DESCRIPTION', 7, { bold: true });
  for (let i = 0; i <= 5; i++) s.line(x0, 4.28 + i * 0.28, x1, 4.28 + i * 0.28, 0.5);
  s.line(colA, 3.98, colA, 4.28 + 5 * 0.28, 0.5);
  s.line(colB, 3.98, colB, 4.28 + 5 * 0.28, 0.5);
  s.text(x0 + pad, 4.5, 'A', 8);
  s.text(colA + 0.1, 4.5, ISSUE_DATE, 8);
  s.text(colB + 0.1, 4.5, 'ISSUED FOR SANDBOX TESTING', 8, { maxWidth: x1 - colB - 0.2 });
  rule(5.95);
  // Key plan
  caption(6.2, 'KEY PLAN');
  s.rect(x0 + 0.9, 6.55, 2.7, 1.6, THIN);
  s.rect(x0 + 1.3, 6.85, 1.9, 1.0, MEDIUM, 0xbbbbbb);
  s.text(x0 + 2.25, 7.45, 'BLDG A', 8, { align: 'center', bold: true });
  northArrow(s, x0 + 4.0, 7.35, 0.28);
  rule(8.45);
  // Seal
  caption(8.7, 'SEAL');
  s.circle(cx, 10.5, 1.35, { w: 1.5, color: 0x444444 });
  s.circle(cx, 10.5, 1.2, { w: 0.5, color: 0x444444 });
  s.label(cx, 10.2, 'NOT FOR', 14, { bold: true, color: 0x444444 });
  s.label(cx, 10.55, 'CONSTRUCTION', 14, { bold: true, color: 0x444444 });
  s.label(cx, 10.95, 'SANDBOX DATA', 8, { color: 0x444444 });
  rule(12.1);
  s.text(cx, 12.48, NOT_FOR_CONSTRUCTION, 11, { bold: true, align: 'center', maxWidth: tw });
  rule(12.75);
  // Discipline and data grid
  caption(13.0, 'DISCIPLINE');
  s.text(x0 + pad, 13.35, spec.discipline.toUpperCase(), 14, { bold: true, maxWidth: tw });
  rule(13.6);
  const mid = cx;
  const cells: [string, string][] = [
    ['PROJECT NO.', PROJECT.project_number],
    ['DATE', ISSUE_DATE],
    ['SCALE', SCALES[kind]],
    ['DRAWN BY', 'TA'],
    ['CHECKED BY', 'AS'],
    ['SHEET', `${index} OF ${count}`],
  ];
  cells.forEach(([k, v], i) => {
    const row = Math.floor(i / 2);
    const x = i % 2 === 0 ? x0 + pad : mid + pad;
    const y = 13.6 + row * 0.62;
    caption(y + 0.22, k, x);
    s.text(x, y + 0.5, v, 11, { maxWidth: tw / 2 - 0.1 });
    s.line(x0, y + 0.62, x1, y + 0.62, 0.5);
  });
  s.line(mid, 13.6, mid, 13.6 + 3 * 0.62, 0.5);
  rule(15.46);
  // Sheet title and number
  caption(15.75, 'SHEET TITLE');
  s.text(x0 + pad, 16.3, spec.title.toUpperCase(), 22, { bold: true, maxWidth: tw });
  rule(16.7);
  caption(16.95, 'SHEET NUMBER');
  s.text(cx, 18.35, spec.number, 64, { bold: true, align: 'center', maxWidth: tw });
  rule(18.8);
  caption(19.05, 'NOTES');
  const notes = [
    'Sample sheet generated by procore-sandbox,',
    'an offline emulator of the Procore Developer',
    'Sandbox. Geometry and notes are illustrative',
    'only and must not be used for construction,',
    'permitting or bidding.',
  ];
  notes.forEach((n, i) => s.text(x0 + pad, 19.35 + i * 0.2, n, 8));
  s.text(x0 + pad, 23.25, `${PROJECT.project_number}-${spec.number}`, 8, { color: 0x555555 });
  s.text(x1 - pad, 23.25, `${spec.number}  |  ${index}/${count}`, 8, { align: 'right', color: 0x555555 });
}

function northArrow(s: Sheet, cx: number, cy: number, r: number): void {
  s.circle(cx, cy, r, MEDIUM);
  s.path(
    [
      [cx, cy - r * 1.25],
      [cx + r * 0.45, cy + r * 0.6],
      [cx, cy + r * 0.25],
      [cx - r * 0.45, cy + r * 0.6],
    ],
    true,
    THIN,
    0x000000,
  );
  s.label(cx, cy - r * 1.6, 'N', Math.max(8, r * 40), { bold: true });
}

function drawingTitle(s: Sheet, x: number, y: number, num: string, title: string, scale: string, sheetNumber: string): void {
  s.circle(x + 0.4, y, 0.4, MEDIUM);
  s.line(x, y, x + 0.8, y, 0.7);
  s.label(x + 0.4, y - 0.17, num, 12, { bold: true });
  s.label(x + 0.4, y + 0.2, sheetNumber, 8);
  s.line(x + 0.8, y, x + 8.5, y, 2);
  s.text(x + 0.95, y - 0.12, title, 18, { bold: true });
  s.text(x + 0.95, y + 0.3, `SCALE: ${scale}`, 10);
}

function gridBubble(s: Sheet, cx: number, cy: number, label: string): void {
  s.circle(cx, cy, 0.3, MEDIUM, 0xffffff);
  s.label(cx, cy, label, 14, { bold: true });
}

function notesBlock(s: Sheet, x: number, y: number, title: string, lines: readonly string[]): void {
  s.text(x, y, title, 11, { bold: true });
  s.line(x, y + 0.08, x + 3.35, y + 0.08, 1);
  let yy = y + 0.35;
  for (const l of lines) {
    s.text(x, yy, l, 8);
    yy += l === '' ? 0.1 : 0.2;
  }
}

/** Dimension string along x at height y with ticks at each stop, all in inches. */
function dimX(s: Sheet, y: number, stops: readonly number[], labels: readonly string[]): void {
  const first = stops[0] ?? 0;
  const last = stops[stops.length - 1] ?? 0;
  s.line(first - 0.2, y, last + 0.2, y, 0.5);
  for (const [i, x] of stops.entries()) {
    s.line(x - 0.08, y + 0.08, x + 0.08, y - 0.08, 1.2);
    s.line(x, y - 0.2, x, y + 0.25, 0.4);
    const next = stops[i + 1];
    const label = labels[i];
    if (next !== undefined && label) s.text((x + next) / 2, y - 0.08, label, 9, { align: 'center' });
  }
}

function dimY(s: Sheet, x: number, stops: readonly number[], labels: readonly string[]): void {
  const first = stops[0] ?? 0;
  const last = stops[stops.length - 1] ?? 0;
  s.line(x, first - 0.2, x, last + 0.2, 0.5);
  for (const [i, y] of stops.entries()) {
    s.line(x - 0.08, y + 0.08, x + 0.08, y - 0.08, 1.2);
    s.line(x - 0.2, y, x + 0.25, y, 0.4);
    const next = stops[i + 1];
    const label = labels[i];
    if (next !== undefined && label) s.text(x - 0.1, (y + next) / 2 + 0.05, label, 9, { align: 'right' });
  }
}

function feet(n: number): string {
  return `${Math.floor(n)}'-${Math.round((n - Math.floor(n)) * 12)}"`;
}

// Building shared by the plans: 120' x 70', column grid 1-6 by A-D.
const GRID_X = [0, 24, 48, 72, 96, 120] as const;
const GRID_Y = [0, 23, 47, 70] as const;
const GRID_COLS = ['1', '2', '3', '4', '5', '6'] as const;
const GRID_ROWS = ['A', 'B', 'C', 'D'] as const;

interface PlanFrame {
  ox: number;
  oy: number;
  sc: number;
}

function planPoint(f: PlanFrame, x: number, y: number): Pt {
  return [f.ox + x * f.sc, f.oy + y * f.sc];
}

function columnGrid(s: Sheet, f: PlanFrame): void {
  const [, top] = planPoint(f, 0, -11);
  const [, bottom] = planPoint(f, 0, 78);
  const [left] = planPoint(f, -11, 0);
  const [right] = planPoint(f, 128, 0);
  GRID_X.forEach((gx, i) => {
    const [x] = planPoint(f, gx, 0);
    s.line(x, top + 0.3, x, bottom, 0.4, CENTER);
    gridBubble(s, x, top, GRID_COLS[i] ?? '');
  });
  GRID_Y.forEach((gy, i) => {
    const [, y] = planPoint(f, 0, gy);
    s.line(left + 0.3, y, right, y, 0.4, CENTER);
    gridBubble(s, left, y, GRID_ROWS[i] ?? '');
  });
  const xs = GRID_X.map((gx) => planPoint(f, gx, 0)[0]);
  const ys = GRID_Y.map((gy) => planPoint(f, 0, gy)[1]);
  dimX(
    s,
    planPoint(f, 0, -6)[1],
    xs,
    GRID_X.slice(1).map((v, i) => feet(v - (GRID_X[i] ?? 0))),
  );
  dimX(s, planPoint(f, 0, -3.5)[1], [xs[0] ?? 0, xs[xs.length - 1] ?? 0], [feet(120)]);
  dimY(
    s,
    planPoint(f, -6, 0)[0],
    ys,
    GRID_Y.slice(1).map((v, i) => feet(v - (GRID_Y[i] ?? 0))),
  );
}

interface Opening {
  at: number;
  w: number;
  kind: 'door' | 'double' | 'window' | 'open';
  /** Side the door swings to: +1 = toward +y (horizontal wall) / +x (vertical wall). */
  side?: 1 | -1;
}

/** An axis-aligned wall on centreline (x1,y1)-(x2,y2), thickness t (feet), with openings. */
function wall(s: Sheet, f: PlanFrame, x1: number, y1: number, x2: number, y2: number, t: number, openings: readonly Opening[] = []): void {
  const horizontal = y1 === y2;
  const len = horizontal ? x2 - x1 : y2 - y1;
  const at = (d: number, off: number): Pt => (horizontal ? planPoint(f, x1 + d, y1 + off) : planPoint(f, x1 + off, y1 + d));
  const solid = (a: number, b: number): void => {
    if (b - a <= 0.01) return;
    const p = at(a, -t / 2);
    const q = at(b, t / 2);
    s.rect(Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.abs(q[0] - p[0]), Math.abs(q[1] - p[1]), { w: 0.6 }, 0x3a3a3a);
  };
  const sorted = [...openings].sort((a, b) => a.at - b.at);
  let pos = 0;
  for (const o of sorted) {
    solid(pos, o.at);
    pos = o.at + o.w;
    const a = at(o.at, 0);
    const b = at(o.at + o.w, 0);
    if (o.kind === 'window') {
      const pa = at(o.at, -t / 2);
      const pb = at(o.at + o.w, t / 2);
      s.rect(Math.min(pa[0], pb[0]), Math.min(pa[1], pb[1]), Math.abs(pb[0] - pa[0]), Math.abs(pb[1] - pa[1]), THIN);
      s.line(a[0], a[1], b[0], b[1], 0.5);
    } else if (o.kind === 'door' || o.kind === 'double') {
      const side = o.side ?? 1;
      const leaves =
        o.kind === 'double'
          ? [
              { hinge: 0, dirSign: 1, width: o.w / 2 },
              { hinge: o.w, dirSign: -1, width: o.w / 2 },
            ]
          : [{ hinge: 0, dirSign: 1, width: o.w }];
      for (const leaf of leaves) {
        const h = at(o.at + leaf.hinge, 0);
        const r = leaf.width * f.sc;
        const open: Pt = horizontal ? [h[0], h[1] + side * r] : [h[0] + side * r, h[1]];
        s.line(h[0], h[1], open[0], open[1], 1.2);
        // swing arc from the open leaf back to the closed position
        const closedEnd: Pt = horizontal ? [h[0] + leaf.dirSign * r, h[1]] : [h[0], h[1] + leaf.dirSign * r];
        const a0 = (Math.atan2(open[1] - h[1], open[0] - h[0]) * 180) / Math.PI;
        let a1 = (Math.atan2(closedEnd[1] - h[1], closedEnd[0] - h[0]) * 180) / Math.PI;
        if (a1 - a0 > 180) a1 -= 360;
        if (a0 - a1 > 180) a1 += 360;
        s.arc(h[0], h[1], r, a0, a1, { w: 0.4, dash: [0.06, 0.04] });
      }
    }
  }
  solid(pos, len);
}

function roomLabel(s: Sheet, f: PlanFrame, x: number, y: number, name: string, num: string): void {
  const [px, py] = planPoint(f, x, y);
  s.text(px, py, name, 10, { bold: true, align: 'center' });
  s.rect(px - 0.22, py + 0.07, 0.44, 0.22, { w: 0.5 });
  s.text(px, py + 0.24, num, 8, { align: 'center' });
}

function floorPlan(s: Sheet): void {
  const f: PlanFrame = { ox: 4.2, oy: 4.6, sc: 3 / 16 };
  columnGrid(s, f);
  const bayWindows = (bays: readonly number[]): Opening[] =>
    bays.flatMap((b) => [
      { at: b + 4, w: 6, kind: 'window' as const },
      { at: b + 14, w: 6, kind: 'window' as const },
    ]);
  // Exterior walls
  wall(s, f, 0, 0.5, 120, 0.5, 1, bayWindows([0, 24, 48, 72, 96]));
  wall(s, f, 0, 69.5, 120, 69.5, 1, [...bayWindows([0, 24]), ...bayWindows([96])]);
  wall(s, f, 0.5, 1, 0.5, 69, 1, [
    { at: 7, w: 12, kind: 'window' },
    { at: 29.5, w: 7, kind: 'double', side: 1 },
    { at: 46, w: 12, kind: 'window' },
  ]);
  wall(s, f, 119.5, 1, 119.5, 69, 1, [
    { at: 7, w: 12, kind: 'window' },
    { at: 30.5, w: 3.5, kind: 'door', side: -1 },
    { at: 46, w: 12, kind: 'window' },
  ]);
  // Corridor walls with room doors
  wall(s, f, 1, 30, 119, 30, 0.5, [
    { at: 3, w: 14, kind: 'open' },
    { at: 40, w: 3, kind: 'door', side: -1 },
    { at: 64, w: 3, kind: 'door', side: -1 },
    { at: 85, w: 6, kind: 'double', side: -1 },
    { at: 109, w: 3, kind: 'door', side: -1 },
  ]);
  wall(s, f, 1, 38, 119, 38, 0.5, [
    { at: 19, w: 6, kind: 'double', side: 1 },
    { at: 49, w: 3, kind: 'door', side: 1 },
    { at: 57, w: 3, kind: 'door', side: 1 },
    { at: 64.5, w: 3.5, kind: 'door', side: 1 },
    { at: 77, w: 6, kind: 'double', side: 1 },
    { at: 89, w: 3, kind: 'door', side: 1 },
    { at: 103, w: 3, kind: 'door', side: 1 },
  ]);
  // Partitions
  for (const x of [24, 48, 72, 96]) wall(s, f, x, 1, x, 29.75, 0.5);
  for (const x of [48, 56, 64, 76, 88, 96]) wall(s, f, x, 38.25, x, 69, 0.5);
  // Stair
  const [sx0, sy0] = planPoint(f, 65, 44);
  const [sx1, sy1] = planPoint(f, 75, 64);
  const smid = (sx0 + sx1) / 2;
  for (let i = 0; i <= 18; i++) {
    const y = sy0 + ((sy1 - sy0) * i) / 18;
    s.line(sx0, y, smid - 0.05, y, 0.4);
    s.line(smid + 0.05, y, sx1, y, 0.4);
  }
  s.rect(smid - 0.05, sy0, 0.1, sy1 - sy0, THIN);
  s.line(sx0 + 0.4, sy1 - 0.2, sx0 + 0.4, sy0 + 0.3, 0.6);
  s.path(
    [
      [sx0 + 0.3, sy0 + 0.45],
      [sx0 + 0.4, sy0 + 0.25],
      [sx0 + 0.5, sy0 + 0.45],
    ],
    false,
    { w: 0.6 },
  );
  s.text(sx0 + 0.55, sy1 - 0.25, 'UP', 8, { bold: true });
  // Conference table and chairs
  const [tx, ty] = planPoint(f, 77, 10);
  s.rect(tx, ty, 14 * f.sc, 6 * f.sc, THIN);
  for (let i = 0; i < 5; i++) {
    s.rect(tx + (0.4 + i * 2.6) * f.sc, ty - 1.6 * f.sc, 1.4 * f.sc, 1.2 * f.sc, { w: 0.3 });
    s.rect(tx + (0.4 + i * 2.6) * f.sc, ty + 6.4 * f.sc, 1.4 * f.sc, 1.2 * f.sc, { w: 0.3 });
  }
  // Open office desks
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 6; c++) {
      const [dx, dy] = planPoint(f, 4 + c * 7, 44 + r * 8);
      s.rect(dx, dy, 5 * f.sc, 2.5 * f.sc, { w: 0.3 });
    }
  }
  // Restroom fixtures
  for (const x0 of [48.5, 56.5]) {
    for (let i = 0; i < 3; i++) {
      const [wx, wy] = planPoint(f, x0 + 1, 58 + i * 3.5);
      s.circle(wx + 0.6 * f.sc, wy + 1 * f.sc, 0.7 * f.sc, { w: 0.4 });
    }
  }
  // Rooms
  roomLabel(s, f, 12, 18, 'LOBBY', '101');
  roomLabel(s, f, 36, 15, 'OFFICE', '102');
  roomLabel(s, f, 60, 15, 'OFFICE', '103');
  roomLabel(s, f, 84, 23, 'CONFERENCE', '104');
  roomLabel(s, f, 108, 15, 'BREAK ROOM', '105');
  roomLabel(s, f, 60, 33.6, 'CORRIDOR', '110');
  roomLabel(s, f, 24, 64, 'OPEN OFFICE', '120');
  roomLabel(s, f, 52, 48, 'MEN', '121');
  roomLabel(s, f, 60, 48, 'WOMEN', '122');
  roomLabel(s, f, 70, 67, 'STAIR 1', '123');
  roomLabel(s, f, 82, 54, 'MECH.', '124');
  roomLabel(s, f, 92, 54, 'STOR.', '125');
  roomLabel(s, f, 108, 54, 'TRAINING', '126');
  const [ex, ey] = planPoint(f, -8, 34);
  s.text(ex, ey - 0.25, 'MAIN', 9, { bold: true, align: 'center' });
  s.text(ex, ey - 0.05, 'ENTRY', 9, { bold: true, align: 'center' });
  northArrow(s, 28.8, 18.4, 0.5);
  notesBlock(s, 27.45, 2.2, 'GENERAL NOTES', [
    '1. DIMENSIONS ARE TO FACE OF STUD OR',
    '   CENTERLINE OF GRID UNLESS NOTED.',
    '2. DO NOT SCALE DRAWINGS.',
    '3. ALL INTERIOR PARTITIONS TYPE P1',
    '   UNLESS NOTED OTHERWISE.',
    '4. PROVIDE BLOCKING FOR WALL-MOUNTED',
    '   EQUIPMENT AND ACCESSORIES.',
    '5. SEE A3.01 FOR EXTERIOR ELEVATIONS',
    '   AND S1.01 FOR FOUNDATIONS.',
    '',
    'LEGEND',
    '   WALL: 6" MTL. STUD W/ GYP. BD.',
    '   EXT. WALL: 12" CMU W/ INSUL.',
  ]);
  drawingTitle(s, 4.2, 21.8, '1', 'FIRST FLOOR PLAN', SCALES.floor, 'A2.01');
}

function foundationPlan(s: Sheet): void {
  const f: PlanFrame = { ox: 4.2, oy: 4.6, sc: 3 / 16 };
  columnGrid(s, f);
  const R = (x: number, y: number, w: number, h: number, st: StrokeStyle, fillColor?: Color): void => {
    const [px, py] = planPoint(f, x, y);
    s.rect(px, py, w * f.sc, h * f.sc, st, fillColor);
  };
  // Foundation wall and continuous footing
  R(0, 0, 120, 70, { w: 1.5 });
  R(1, 1, 118, 68, { w: 1.5 });
  R(-1, -1, 122, 72, { w: 0.6, dash: DASHED });
  R(2, 2, 116, 66, { w: 0.6, dash: DASHED });
  // Column footings
  for (const [i, gx] of GRID_X.entries()) {
    for (const [j, gy] of GRID_Y.entries()) {
      const perimeter = i === 0 || i === GRID_X.length - 1 || j === 0 || j === GRID_Y.length - 1;
      const size = perimeter ? 6 : 8;
      const cx = Math.min(Math.max(gx, 0.5), 119.5);
      const cy = Math.min(Math.max(gy, 0.5), 69.5);
      if (!perimeter) R(gx - size / 2, gy - size / 2, size, size, { w: 0.6, dash: DASHED });
      R(cx - 1, cy - 1, 2, 2, { w: 0.6 }, 0x000000);
      const [tx, ty] = planPoint(f, gx + (perimeter ? 2.2 : 4.6), gy + (perimeter ? (gy === 0 ? 4 : -2.5) : -4.6));
      s.text(tx, ty, perimeter ? 'F2' : 'F1', 9, { bold: true });
    }
  }
  // Elevator pit
  const [px, py] = planPoint(f, 77, 54);
  R(77, 54, 8, 8, { w: 1.5 });
  s.line(px, py, px + 8 * f.sc, py + 8 * f.sc, 0.5);
  s.line(px + 8 * f.sc, py, px, py + 8 * f.sc, 0.5);
  s.text(px + 4 * f.sc, py + 8 * f.sc + 0.25, 'ELEV. PIT', 8, { bold: true, align: 'center' });
  s.text(px + 4 * f.sc, py + 8 * f.sc + 0.45, 'T.O.P. = 95\'-0"', 7, { align: 'center' });
  // Slab notes in bays
  for (const [x, y] of [
    [12, 12],
    [60, 12],
    [108, 12],
    [36, 58],
    [108, 58],
  ] as const) {
    const [lx, ly] = planPoint(f, x, y);
    s.path(
      [
        [lx, ly - 0.35],
        [lx + 0.35, ly],
        [lx, ly + 0.35],
        [lx - 0.35, ly],
      ],
      true,
      THIN,
    );
    s.label(lx, ly, 'S1', 8, { bold: true });
    s.text(lx, ly + 0.6, '4" S.O.G.', 8, { align: 'center' });
  }
  // Section cut marks
  const [cx0, cy0] = planPoint(f, -4, 35);
  const [cx1] = planPoint(f, 124, 35);
  for (const x of [cx0, cx1]) {
    s.circle(x, cy0, 0.28, MEDIUM, 0xffffff);
    s.label(x, cy0 - 0.1, '1', 9, { bold: true });
    s.label(x, cy0 + 0.13, 'S3.01', 6);
  }
  s.line(cx0 + 0.28, cy0, cx0 + 0.9, cy0, 2);
  s.line(cx1 - 0.9, cy0, cx1 - 0.28, cy0, 2);
  // Footing schedule
  const tx = 27.45;
  let ty = 2.2;
  s.text(tx, ty, 'FOOTING SCHEDULE', 11, { bold: true });
  ty += 0.15;
  const cols = [tx, tx + 0.5, tx + 1.55, tx + 2.05, tx + 3.35];
  const rows: readonly (readonly string[])[] = [
    ['MARK', 'SIZE', 'THK.', 'REINFORCING'],
    ['F1', `8'-0" SQ.`, '24"', '(9) #6 E.W.'],
    ['F2', `6'-0" SQ.`, '18"', '(7) #5 E.W.'],
    ['CF1', `3'-0" CONT.`, '12"', '(3) #5 CONT.'],
  ];
  rows.forEach((row, i) => {
    s.line(tx, ty + i * 0.32, tx + 3.35, ty + i * 0.32, i <= 1 ? 1 : 0.5);
    row.forEach((cell, j) => s.text((cols[j] ?? tx) + 0.06, ty + i * 0.32 + 0.22, cell, 7.5, { bold: i === 0 }));
  });
  s.line(tx, ty + rows.length * 0.32, tx + 3.35, ty + rows.length * 0.32, 1);
  for (const x of cols) s.line(x, ty, x, ty + rows.length * 0.32, 0.5);
  notesBlock(s, tx, 4.4, 'FOUNDATION NOTES', [
    "1. CONCRETE: f'c = 4000 PSI AT 28 DAYS,",
    '   SEE SPEC. SECTION 03 30 00.',
    '2. REINFORCING: ASTM A615 GRADE 60.',
    '3. ALLOWABLE SOIL BEARING: 3000 PSF.',
    '4. BOTTOM OF FOOTINGS 24" MIN. BELOW',
    '   FINISHED GRADE.',
    '5. S1: 4" SLAB ON GRADE W/ 6x6 W2.9',
    '   WWF OVER 10 MIL VAPOR RETARDER.',
    '6. T.O.S. = 100\'-0" U.N.O.',
  ]);
  northArrow(s, 28.8, 18.4, 0.5);
  drawingTitle(s, 4.2, 21.8, '1', 'FOUNDATION PLAN', SCALES.foundation, 'S1.01');
}

function elevations(s: Sheet): void {
  const sc = 1 / 8;
  const floors = [0, 14, 27, 40, 53, 66] as const; // level elevations in feet; roof at 66
  const top = 70;
  const views: readonly {
    x: number;
    ground: number;
    width: number;
    name: string;
    num: string;
    bays: readonly number[];
    door: readonly [number, number];
  }[] = [
    { x: 2.6, ground: 10.3, width: 120, name: 'NORTH ELEVATION', num: '1', bays: [0, 24, 48, 72, 96, 120], door: [54, 66] },
    { x: 19.6, ground: 10.3, width: 70, name: 'EAST ELEVATION', num: '2', bays: [0, 23, 47, 70], door: [31, 35] },
    { x: 2.6, ground: 21.0, width: 120, name: 'SOUTH ELEVATION', num: '3', bays: [0, 24, 48, 72, 96, 120], door: [100, 104] },
    { x: 19.6, ground: 21.0, width: 70, name: 'WEST ELEVATION', num: '4', bays: [0, 23, 47, 70], door: [29.5, 36.5] },
  ];
  for (const v of views) {
    const X = (ft: number): number => v.x + ft * sc;
    const Y = (ft: number): number => v.ground - ft * sc;
    // ground
    s.line(X(-4), Y(0), X(v.width + 4), Y(0), 3);
    // outline and parapet
    s.rect(X(0), Y(top), v.width * sc, top * sc, { w: 1.8 });
    s.line(X(-0.5), Y(top), X(v.width + 0.5), Y(top), 2);
    s.line(X(0), Y(top - 1), X(v.width), Y(top - 1), 0.5);
    // rooftop screen
    s.rect(X(v.width * 0.35), Y(top + 4), v.width * 0.3 * sc, 4 * sc, { w: 0.8 });
    for (let i = 1; i < 8; i++)
      s.line(X(v.width * 0.35 + (v.width * 0.3 * i) / 8), Y(top + 4), X(v.width * 0.35 + (v.width * 0.3 * i) / 8), Y(top), 0.3);
    // level lines and markers
    floors.forEach((lvl, i) => {
      if (i > 0) s.line(X(0), Y(lvl), X(v.width), Y(lvl), 0.5);
      s.line(X(v.width + 1), Y(lvl), X(v.width + 7), Y(lvl), 0.4, DASHED);
      const mx = X(v.width + 7.5);
      s.path(
        [
          [mx, Y(lvl)],
          [mx + 0.1, Y(lvl) - 0.12],
          [mx - 0.1, Y(lvl) - 0.12],
        ],
        true,
        THIN,
        0x000000,
      );
      s.text(mx + 0.2, Y(lvl) - 0.12, i === floors.length - 1 ? 'ROOF' : `LEVEL ${i + 1}`, 7, { bold: true });
      s.text(mx + 0.2, Y(lvl) + 0.06, `+${feet(lvl + 100)}`, 6.5);
    });
    // pilasters at the grid
    for (const b of v.bays) s.line(X(b), Y(0), X(b), Y(top - 1), 0.8);
    // windows
    for (let bi = 0; bi + 1 < v.bays.length; bi++) {
      const b0 = v.bays[bi] ?? 0;
      const b1 = v.bays[bi + 1] ?? 0;
      const bw = b1 - b0;
      const ww = (bw - 9) / 2;
      for (let fi = 0; fi < floors.length - 1; fi++) {
        const lvl = floors[fi] ?? 0;
        const ground = fi === 0;
        const sill = lvl + (ground ? 1.5 : 3);
        const wh = ground ? 9.5 : 6.5;
        for (const wx of [b0 + 3, b0 + 6 + ww]) {
          if (ground && wx + ww > v.door[0] - 1 && wx < v.door[1] + 1) continue;
          s.rect(X(wx), Y(sill + wh), ww * sc, wh * sc, { w: 0.7 });
          s.line(X(wx + ww / 2), Y(sill + wh), X(wx + ww / 2), Y(sill), 0.35);
          if (ground) s.line(X(wx), Y(sill + 7.5), X(wx + ww), Y(sill + 7.5), 0.35);
          s.line(X(wx - 0.5), Y(sill), X(wx + ww + 0.5), Y(sill), 0.9);
        }
      }
    }
    // entrance
    const [d0, d1] = v.door;
    s.rect(X(d0), Y(9), (d1 - d0) * sc, 9 * sc, { w: 1 });
    const leaves = d1 - d0 > 5 ? 2 : 1;
    for (let i = 1; i < leaves; i++) s.line(X(d0 + ((d1 - d0) * i) / leaves), Y(9), X(d0 + ((d1 - d0) * i) / leaves), Y(0), 0.6);
    s.rect(X(d0 - 2), Y(11.5), (d1 - d0 + 4) * sc, 1 * sc, { w: 0.8 }, 0x999999);
    // title
    drawingTitle(s, v.x, v.ground + 0.95, v.num, v.name, SCALES.elevations, 'A3.01');
  }
  notesBlock(s, 12.2, 21.75, 'EXTERIOR FINISH LEGEND', [
    'EF-1  INTEGRAL COLOR CMU, SPLIT FACE',
    'EF-2  ALUMINUM STOREFRONT, CLEAR ANOD.',
    'EF-3  INSULATED GLAZING UNITS, LOW-E',
    'EF-4  PREFINISHED METAL COPING',
    'EF-5  METAL ROOFTOP EQUIPMENT SCREEN',
  ]);
}

function sitePlan(s: Sheet): void {
  const f: PlanFrame = { ox: 3.2, oy: 2.6, sc: 1 / 20 };
  siteBase(s, f);
  const P = (x: number, y: number): Pt => planPoint(f, x, y);
  // Building footprint
  const [bx, by] = P(40, 60);
  s.rect(bx, by, 120 * f.sc, 70 * f.sc, { w: 2.5 }, 0xdddddd);
  for (let i = 1; i < 5; i++) s.line(bx + i * 24 * f.sc, by, bx + i * 24 * f.sc, by + 70 * f.sc, 0.3, DASHED, 0x777777);
  const [lx, ly] = P(100, 95);
  s.text(lx, ly - 0.2, 'NEW 5-STORY OFFICE BUILDING', 10, { bold: true, align: 'center' });
  s.text(lx, ly + 0.05, '42,000 SF (8,400 SF / FLOOR)', 8, { align: 'center' });
  s.text(lx, ly + 0.25, `FF EL. 100'-0"`, 8, { align: 'center' });
  // Entry walk
  const [w0x, w0y] = P(94, 130);
  const [w1x, w1y] = P(106, 302);
  s.line(w0x, w0y, w0x, w1y, 0.7);
  s.line(w1x, w0y, w1x, w1y, 0.7);
  for (let y = w0y + 0.3; y < w1y; y += 0.3) s.line(w0x, y, w1x, y, 0.25, undefined, 0x777777);
  const [ex, ey] = P(40, 94);
  s.path(
    [
      [ex - 0.5, ey],
      [ex - 0.1, ey],
    ],
    false,
    { w: 1.5 },
  );
  s.text(ex - 0.55, ey - 0.1, 'ENTRY', 8, { bold: true, align: 'right' });
  // Parking lot
  const [px0, py0] = P(198, 45);
  s.rect(px0, py0, 206 * f.sc, 200 * f.sc, { w: 1.5 });
  const stallRows: readonly (readonly [number, number])[] = [
    [45, 63],
    [87, 123],
    [147, 183],
    [207, 225],
  ];
  let stalls = 0;
  for (const [y0, y1] of stallRows) {
    const double = y1 - y0 > 20;
    for (let x = 206; x <= 395; x += 9) {
      const [sx, sy0] = P(x, y0);
      const [, sy1] = P(x, y1);
      s.line(sx, sy0, sx, sy1, 0.5);
      if (x < 395) stalls += double ? 2 : 1;
    }
    if (double) {
      const [a, my] = P(206, (y0 + y1) / 2);
      const [b] = P(395, (y0 + y1) / 2);
      s.line(a, my, b, my, 0.8);
    }
  }
  for (const x of [210.5, 219.5]) {
    const [ax, ay] = P(x, 54);
    s.text(ax, ay + 0.05, 'HC', 6, { align: 'center', bold: true });
  }
  const [plx, ply] = P(300, 75);
  s.text(plx, ply + 0.05, `PARKING - ${stalls} STALLS`, 9, { bold: true, align: 'center' });
  for (const y of [75, 135, 195]) {
    const [ax0, ay] = P(250, y);
    const [ax1] = P(270, y);
    s.line(ax0, ay, ax1, ay, 0.6);
    s.path(
      [
        [ax1 - 0.12, ay - 0.07],
        [ax1, ay],
        [ax1 - 0.12, ay + 0.07],
      ],
      false,
      { w: 0.6 },
    );
  }
  // Driveway
  const [d0x, d0y] = P(290, 245);
  const [d1x, d1y] = P(314, 318);
  s.line(d0x, d0y, d0x, d1y, 1.2);
  s.line(d1x, d0y, d1x, d1y, 1.2);
  // Trash enclosure, transformer, hydrant
  const [tx, ty] = P(172, 196);
  s.rect(tx, ty, 16 * f.sc, 12 * f.sc, { w: 1.2 }, 0xeeeeee);
  s.text(tx + 8 * f.sc, ty + 12 * f.sc + 0.2, 'TRASH ENCL.', 7, { align: 'center' });
  const [trx, try_] = P(172, 150);
  s.rect(trx, try_, 8 * f.sc, 8 * f.sc, { w: 1 });
  s.line(trx, try_, trx + 8 * f.sc, try_ + 8 * f.sc, 0.5);
  s.text(trx + 0.5, try_ + 0.25, 'XFMR', 7);
  const [hx, hy] = P(270, 312);
  s.circle(hx, hy, 0.08, THIN, 0x000000);
  s.text(hx + 0.15, hy + 0.05, 'FH', 7);
  // Trees
  for (const x of [20, 60, 140, 180, 235, 265, 345, 380, 415]) {
    const [cx, cy] = P(x, 292);
    s.circle(cx, cy, 0.38, { w: 0.6 });
    s.circle(cx, cy, 0.05, THIN, 0x000000);
    for (let a = 0; a < 360; a += 60) {
      const rad = (a * Math.PI) / 180;
      s.line(cx + 0.08 * Math.cos(rad), cy + 0.08 * Math.sin(rad), cx + 0.3 * Math.cos(rad), cy + 0.3 * Math.sin(rad), 0.3);
    }
  }
  northArrow(s, 28.8, 18.4, 0.5);
  notesBlock(s, 27.45, 2.2, 'SITE NOTES', [
    '1. PROPERTY LINE INFORMATION PER',
    '   SURVEY BY OTHERS (ILLUSTRATIVE).',
    '2. BUILDING SETBACKS: 20\'-0" ALL SIDES.',
    '3. PARKING STALLS 9\'-0" x 18\'-0",',
    '   DRIVE AISLES 24\'-0" TWO-WAY.',
    '4. PROVIDE ACCESSIBLE ROUTE FROM',
    '   PUBLIC WAY TO MAIN ENTRY.',
    '5. SEE CIVIL FOR GRADING & UTILITIES.',
    '',
    'SITE DATA',
    `   PARCEL AREA: 3.0 ACRES`,
    `   BUILDING AREA: ${PROJECT.square_feet.toLocaleString('en-US')} SF`,
    `   PARKING PROVIDED: ${stalls} STALLS`,
  ]);
  drawingTitle(s, 3.2, 22.3, '1', 'SITE PLAN', SCALES.site, 'A1.01');
}

/** Property, setbacks and street shared by the site plan and the logistics plan (feet). */
function siteBase(s: Sheet, f: PlanFrame, color: Color = 0x000000, streetEnd = 480): void {
  const P = (x: number, y: number): Pt => planPoint(f, x, y);
  const property: Pt[] = [P(0, 15), P(430, 0), P(445, 300), P(5, 305)];
  s.path(property, true, { w: 2.2, dash: PROPERTY, color });
  s.path([P(22, 35), P(410, 22), P(423, 282), P(26, 285)], true, { w: 0.5, dash: DASHED, color: 0x666666 });
  const [plx, ply] = P(215, 3);
  s.text(plx, ply - 0.15, `PROPERTY LINE  430.26'`, 8, { align: 'center', color });
  const [stx, sty] = P(200, 286);
  s.text(stx, sty - 0.05, `20'-0" SETBACK`, 7, { align: 'center', color: 0x666666 });
  // Street: sidewalk, curb, centreline, far curb
  const [x0] = P(-40, 0);
  const [x1] = P(streetEnd, 0);
  for (const [y, w, dash] of [
    [308, 0.6, undefined],
    [316, 1.4, undefined],
    [342, 0.8, CENTER],
    [368, 1.4, undefined],
  ] as const) {
    const [, yy] = P(0, y);
    s.line(x0, yy, x1, yy, w, dash);
  }
  const [sx, sy] = P(200, 357);
  s.text(sx, sy, PROJECT.address.replace(/^\d+\s+/, '').toUpperCase(), 14, { bold: true, align: 'center', color: 0x333333 });
}

// ---------------------------------------------------------------------------------------------
// Site logistics plan (document PNG, colour)
// ---------------------------------------------------------------------------------------------

function siteLogisticsSheet(): Sheet {
  const s = new Sheet(36, 24);
  const f: PlanFrame = { ox: 2.2, oy: 4.0, sc: 1 / 20 };
  const P = (x: number, y: number): Pt => planPoint(f, x, y);
  const FENCE = 0xf07f13;
  const CRANE = 0xd62828;
  const TRAILER = 0x1f6fb2;
  const LAYDOWN = 0xf2d16b;
  const ROUTE = 0x2a9d4b;
  const BUILDING = 0x9aa5b1;
  s.rect(0.3, 0.3, 35.4, 23.4, { w: 3, color: 0x333333 });
  s.text(1.0, 1.6, 'SITE LOGISTICS PLAN', 44, { bold: true });
  s.text(1.0, 2.4, `${PROJECT.display_name}  |  ${PROJECT.address}, ${PROJECT.city}, ${PROJECT.state_code}`, 22, { color: 0x333333 });
  siteBase(s, f, 0x333333, 460);
  // Laydown
  const [lx, ly] = P(250, 80);
  s.rect(lx, ly, 150 * f.sc, 100 * f.sc, { w: 1.5, color: 0x9a7b12 }, LAYDOWN);
  for (let i = 1; i < 12; i++) {
    const x = lx + (150 * f.sc * i) / 12;
    s.line(x, ly, x, ly + 100 * f.sc, 0.5, undefined, 0xc9a93a);
  }
  s.text(lx + 75 * f.sc, ly + 50 * f.sc, 'MATERIAL LAYDOWN', 22, { bold: true, align: 'center', color: 0x5c4a0a });
  // Building under construction
  const [bx, by] = P(40, 60);
  s.rect(bx, by, 120 * f.sc, 70 * f.sc, { w: 2, color: 0x4a5561 }, BUILDING);
  s.text(bx + 60 * f.sc, by + 35 * f.sc - 0.1, 'BUILDING', 24, { bold: true, align: 'center', color: 0x1d2733 });
  s.text(bx + 60 * f.sc, by + 35 * f.sc + 0.55, 'UNDER CONSTRUCTION', 18, { align: 'center', color: 0x1d2733 });
  // Tower crane
  const [cx, cy] = P(185, 112);
  s.circle(cx, cy, 110 * f.sc, { w: 2.5, color: CRANE, dash: [0.35, 0.2] });
  s.rect(cx - 0.25, cy - 0.25, 0.5, 0.5, { w: 2, color: CRANE }, 0xffffff);
  s.line(cx - 0.25, cy - 0.25, cx + 0.25, cy + 0.25, 1.5, undefined, CRANE);
  s.line(cx + 0.25, cy - 0.25, cx - 0.25, cy + 0.25, 1.5, undefined, CRANE);
  s.text(cx + 0.4, cy - 0.35, 'TOWER CRANE', 20, { bold: true, color: CRANE });
  s.text(cx + 0.4, cy + 0.25, `110' RADIUS`, 16, { color: CRANE });
  // Fence with gates
  const fence: Pt[] = [P(10, 40), P(10, 300), P(285, 300)];
  s.path(fence, false, { w: 3, color: FENCE, dash: [0.3, 0.12] });
  s.path([P(320, 300), P(440, 300), P(428, 24), P(10, 40)], false, { w: 3, color: FENCE, dash: [0.3, 0.12] });
  const [gx, gy] = P(302, 300);
  s.text(gx, gy + 0.55, 'GATE 1', 18, { bold: true, align: 'center', color: FENCE });
  // Trailers
  for (const [x, y, name] of [
    [215, 24, 'GC OFFICE'],
    [290, 24, 'SUB OFFICE'],
  ] as const) {
    const [tx, ty] = P(x, y + 8);
    s.rect(tx, ty, 60 * f.sc, 14 * f.sc, { w: 1.2, color: 0x0d3b66 }, TRAILER);
    s.text(tx + 30 * f.sc, ty + 14 * f.sc + 0.45, name, 14, { bold: true, align: 'center', color: TRAILER });
  }
  // Dumpsters, toilets, washout
  const small = (x: number, y: number, w: number, h: number, color: Color, name: string): void => {
    const [sx, sy] = P(x, y);
    s.rect(sx, sy, w * f.sc, h * f.sc, { w: 1, color: 0x333333 }, color);
    s.text(sx + (w * f.sc) / 2, sy + h * f.sc + 0.45, name, 16, { align: 'center', color: 0x333333 });
  };
  small(345, 240, 22, 10, 0x8d5a2b, 'DUMPSTERS');
  small(372, 240, 22, 10, 0x8d5a2b, '');
  small(210, 240, 6, 6, 0x3a86ff, 'TOILETS');
  small(218, 240, 6, 6, 0x3a86ff, '');
  small(260, 236, 20, 16, 0x777777, 'WASHOUT');
  // Truck route
  const route: Pt[] = [P(-30, 330), P(302, 330), P(302, 192)];
  s.path(route, false, { w: 4, color: ROUTE });
  const arrow = (x: number, y: number, dx: number, dy: number): void => {
    const [ax, ay] = P(x, y);
    const n: Pt = [-dy, dx];
    s.path(
      [
        [ax + dx * 0.35, ay + dy * 0.35],
        [ax + n[0] * 0.22, ay + n[1] * 0.22],
        [ax - n[0] * 0.22, ay - n[1] * 0.22],
      ],
      true,
      { w: 1, color: ROUTE },
      ROUTE,
    );
  };
  arrow(100, 330, 1, 0);
  arrow(302, 265, 0, -1);
  arrow(302, 196, 0, -1);
  const [rx, ry] = P(60, 330);
  s.text(rx, ry - 0.2, 'TRUCK ROUTE', 16, { bold: true, color: ROUTE });
  // Worker parking
  const [wx, wy] = P(150, 150);
  s.rect(wx, wy, 90 * f.sc, 70 * f.sc, { w: 1.2, color: 0x555555 }, 0xd9d9d9);
  s.text(wx + 45 * f.sc, wy + 35 * f.sc + 0.15, 'CREW PARKING', 16, { bold: true, align: 'center', color: 0x333333 });
  // Legend
  const lgx = 26.2;
  let lgy = 4.0;
  s.rect(lgx - 0.3, lgy - 0.9, 9.2, 11.8, { w: 1.5, color: 0x333333 }, 0xffffff);
  s.text(lgx, lgy - 0.15, 'LEGEND', 24, { bold: true });
  lgy += 0.6;
  const legend: readonly [string, Color, 'line' | 'box' | 'dash'][] = [
    ['PROPERTY LINE', 0x333333, 'dash'],
    ['CONSTRUCTION FENCE', FENCE, 'dash'],
    ['CRANE SWING RADIUS', CRANE, 'dash'],
    ['TRUCK ROUTE', ROUTE, 'line'],
    ['SITE TRAILERS', TRAILER, 'box'],
    ['LAYDOWN AREA', LAYDOWN, 'box'],
    ['BUILDING FOOTPRINT', BUILDING, 'box'],
    ['CREW PARKING', 0xd9d9d9, 'box'],
    ['DUMPSTERS', 0x8d5a2b, 'box'],
  ];
  for (const [name, color, kind] of legend) {
    if (kind === 'box') s.rect(lgx, lgy - 0.4, 1.2, 0.5, { w: 1, color: 0x333333 }, color);
    else s.line(lgx, lgy - 0.15, lgx + 1.2, lgy - 0.15, 3, kind === 'dash' ? [0.25, 0.1] : undefined, color);
    s.text(lgx + 1.5, lgy, name, 18, { color: 0x222222 });
    lgy += 1.05;
  }
  northArrow(s, 31.0, 18.5, 0.9);
  s.text(26.0, 21.2, `SCALE: 1" = 20'-0"`, 18, { color: 0x333333 });
  s.text(26.0, 22.0, NOT_FOR_CONSTRUCTION, 16, { bold: true, color: CRANE, maxWidth: 9.2 });
  s.text(26.0, 22.7, `ISSUED ${ISSUE_DATE}  |  REV A`, 14, { color: 0x555555 });
  return s;
}

// ---------------------------------------------------------------------------------------------
// Sandbox photo
// ---------------------------------------------------------------------------------------------

const PHOTO_W = 1024;
const PHOTO_H = 768;

function renderSandboxPhotoAssets(): SeedAssets['sandboxPhoto'] {
  const r = renderSandboxPhoto();
  return {
    image: { filename: 'sandbox.jpg', contentType: 'image/jpeg', data: encodeJpeg(r, 80) },
    thumbnail: { filename: 'sandbox_thumb.jpg', contentType: 'image/jpeg', data: encodeJpeg(downsample(r, 200, 150), 80) },
    width: PHOTO_W,
    height: PHOTO_H,
  };
}

function convexHull(points: readonly Pt[]): Pt[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Pt, lower[lower.length - 1] as Pt, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (const p of [...pts].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Pt, upper[upper.length - 1] as Pt, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

function renderSandboxPhoto(): Raster {
  const W = PHOTO_W;
  const H = PHOTO_H;
  const img = new Raster(W, H);
  // Camera: 1.75 m high, pitched down, looking along +z.
  const camY = 1.75;
  const pitch = 0.22;
  const focal = 900;
  const cxp = W / 2;
  const cyp = H / 2 + 20;
  const sinT = Math.sin(pitch);
  const cosT = Math.cos(pitch);
  const proj = (x: number, y: number, z: number): Pt => {
    const dy = y - camY;
    const yc = dy * cosT + z * sinT;
    const zc = -dy * sinT + z * cosT;
    return [cxp + (focal * x) / zc, cyp - (focal * yc) / zc];
  };
  /** World point on the horizontal plane at height `planeY` seen through pixel (sx, sy), or null. */
  const unproject = (sx: number, sy: number, planeY: number): [number, number] | null => {
    const dcx = (sx - cxp) / focal;
    const dcy = -(sy - cyp) / focal;
    const dirY = cosT * dcy - sinT;
    if (dirY >= -1e-6) return null;
    const t = (planeY - camY) / dirY;
    return [t * dcx, t * (sinT * dcy + cosT)];
  };
  const horizon = cyp - focal * Math.tan(pitch);

  // --- sky, distant trees, lawn (per pixel)
  const sun: Pt = [850, Math.max(60, horizon - 130)];
  const treeTops = new Float64Array(W);
  for (let x = 0; x < W; x++)
    treeTops[x] = horizon - 22 - 30 * fbm(x / 90, 0.5, 7, 3) - 9 * Math.abs(Math.sin(x / 21 + 2 * fbm(x / 50, 3, 8, 2)));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const treeTop = treeTops[x] ?? horizon;
      let c: Color;
      if (y < treeTop) {
        const t = Math.max(0, y / horizon);
        c = mix(0x3f7fcf, 0xbfdcf2, t * t * 0.6 + t * 0.4);
        const d = Math.hypot(x - sun[0], y - sun[1]);
        if (d < 34) c = 0xfffbe8;
        else {
          const glow = Math.max(0, 1 - d / 260);
          c = mix(c, 0xfff6d0, glow * glow * 0.75 + (d < 40 ? (40 - d) / 6 : 0));
        }
      } else if (y < horizon + 2) {
        const n = fbm(x / 14, y / 9, 11, 2);
        const depth = (y - treeTop) / Math.max(1, horizon - treeTop);
        c = shade(mix(0x3b6e3a, 0x2a5128, depth), 0.8 + 0.4 * n);
      } else {
        // ray through the pixel meets the lawn (y = 0) at (gx, gz)
        const dcy = -(y + 0.5 - cyp) / focal;
        const t = -camY / (cosT * dcy - sinT);
        const gx = (t * (x + 0.5 - cxp)) / focal;
        const gz = t * (sinT * dcy + cosT);
        {
          const foot = gz / focal; // world size of a pixel
          const far = Math.min(1, (gz - 2) / 25);
          let n = 0.4 * fbm(gx * 1.2, gz * 1.2, 21, 2);
          if (foot < 0.02) n += 0.08 * (vnoise(gx * 9, gz * 9, 23) - 0.5);
          const stripe = Math.floor(gx / 1.6 + 100) % 2 === 0 ? 1.03 : 0.97;
          c = shade(mix(0x4a9433, 0x86b863, far), (0.8 + 0.42 * n) * stripe);
        }
      }
      img.set(x, y, c);
    }
  }
  // clouds
  const cloud = (cx: number, cy: number, scale: number): void => {
    const blobs: Pt[][] = [];
    const parts: readonly [number, number, number][] = [
      [-60, 8, 34],
      [-25, -12, 42],
      [18, -20, 48],
      [58, -2, 38],
      [88, 12, 26],
      [0, 14, 36],
    ];
    const paint = (_x: number, y: number): Color => mix(0xffffff, 0xdde4ee, Math.max(0, Math.min(1, (y - cy + 10 * scale) / (50 * scale))));
    for (const k of [1, 0.96, 0.92, 0.88]) {
      blobs.length = 0;
      for (const [dx, dy, rr] of parts) blobs.push(ellipse(cx + dx * scale, cy + dy * scale, rr * scale * k, rr * scale * k * 0.88, 40));
      img.fillPolys(blobs, 0xf4f8fc, 0.14);
    }
    img.fillPolys(
      parts.map(([dx, dy, rr]) => ellipse(cx + dx * scale, cy + dy * scale, rr * scale * 0.85, rr * scale * 0.75, 40)),
      paint,
      0.9,
    );
  };
  cloud(200, horizon * 0.3, 1.1);
  cloud(560, horizon * 0.17, 0.75);
  cloud(930, horizon * 0.62, 0.55);

  // --- sandbox geometry (metres)
  const X0 = -1.2;
  const X1 = 1.2;
  const Z0 = 2.9;
  const Z1 = 4.9;
  const T = 0.1; // board thickness
  const HB = 0.26; // board height
  const S = 0.16; // sand level
  const quad = (pts: readonly (readonly [number, number, number])[]): Pt[] => pts.map(([x, y, z]) => proj(x, y, z));
  const light: readonly [number, number] = [-0.55, -0.75]; // shadow offset per metre of height (x, z)
  const shadowOf = (x: number, y: number, z: number, onY = 0): Pt => proj(x + light[0] * (y - onY), onY, z + light[1] * (y - onY));

  // Cast shadow of the box on the lawn
  const footprint: Pt[] = [];
  for (const [x, z] of [
    [X0, Z0],
    [X1, Z0],
    [X1, Z1],
    [X0, Z1],
  ] as const) {
    footprint.push(proj(x, 0, z), shadowOf(x, HB, z));
  }
  img.fillPoly(convexHull(footprint), 0x1c3a12, 0.42);

  // Sand
  const sandPaint = (x: number, y: number): Color => {
    const g = unproject(x, y, S);
    if (!g) return 0xd8be8a;
    const [sx, sz] = g;
    let n = 0.7 * fbm(sx * 3, sz * 3, 41, 2) + 0.3 * vnoise(sx * 18, sz * 18, 43);
    n += 0.15 * Math.sin(sx * 9 + sz * 4 + 3 * vnoise(sx * 2, sz * 2, 47));
    let k = 0.86 + 0.2 * n;
    const dBack = Z1 - T - sz;
    const dRight = X1 - T - sx;
    if (dBack < 0.18) k *= 0.72 + 0.28 * Math.max(0, dBack / 0.18);
    if (dRight < 0.12) k *= 0.8 + 0.2 * Math.max(0, dRight / 0.12);
    const damp = fbm(sx * 1.3 + 5, sz * 1.3, 53, 2);
    const base = damp > 0.62 ? mix(0xe2c793, 0xbf9f6a, Math.min(1, (damp - 0.62) * 5)) : 0xe2c793;
    return shade(base, k);
  };
  img.fillPoly(
    quad([
      [X0 + T, S, Z0 + T],
      [X1 - T, S, Z0 + T],
      [X1 - T, S, Z1 - T],
      [X0 + T, S, Z1 - T],
    ]),
    sandPaint,
  );

  // Wood shader: grain runs along the board's screen direction
  const wood = (a: Pt, b: Pt, k: number, seed: number): ((x: number, y: number) => Color) => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    return (x, y) => {
      const along = (x - a[0]) * ux + (y - a[1]) * uy;
      const across = -(x - a[0]) * uy + (y - a[1]) * ux;
      const g = fbm(along / 140, across / 5, seed, 3);
      const grain = 0.5 + 0.5 * Math.sin(across * 0.9 + g * 9);
      const knot = vnoise(along / 35, across / 6, seed + 5);
      return shade(mix(0xb9834c, 0x8a5a2e, 0.55 * grain * grain + (knot > 0.9 ? 0.4 : 0)), k * (0.92 + 0.16 * g));
    };
  };
  const face = (pts: readonly (readonly [number, number, number])[], k: number, seed: number, alongFrom = 0, alongTo = 1): void => {
    const q = quad(pts);
    img.fillPoly(q, wood(q[alongFrom] as Pt, q[alongTo] as Pt, k, seed));
  };
  // inner faces above the sand
  face(
    [
      [X0 + T, HB, Z1 - T],
      [X1 - T, HB, Z1 - T],
      [X1 - T, S, Z1 - T],
      [X0 + T, S, Z1 - T],
    ],
    0.62,
    61,
  );
  face(
    [
      [X0 + T, HB, Z0 + T],
      [X0 + T, HB, Z1 - T],
      [X0 + T, S, Z1 - T],
      [X0 + T, S, Z0 + T],
    ],
    0.9,
    62,
  );
  face(
    [
      [X1 - T, HB, Z1 - T],
      [X1 - T, HB, Z0 + T],
      [X1 - T, S, Z0 + T],
      [X1 - T, S, Z1 - T],
    ],
    0.55,
    63,
  );
  // top faces
  face(
    [
      [X0, HB, Z1 - T],
      [X1, HB, Z1 - T],
      [X1, HB, Z1],
      [X0, HB, Z1],
    ],
    1.12,
    64,
  );
  face(
    [
      [X0, HB, Z1],
      [X0, HB, Z0],
      [X0 + T, HB, Z0],
      [X0 + T, HB, Z1],
    ],
    1.12,
    65,
  );
  face(
    [
      [X1 - T, HB, Z1],
      [X1 - T, HB, Z0],
      [X1, HB, Z0],
      [X1, HB, Z1],
    ],
    1.12,
    66,
  );
  face(
    [
      [X0, HB, Z0],
      [X1, HB, Z0],
      [X1, HB, Z0 + T],
      [X0, HB, Z0 + T],
    ],
    1.12,
    67,
  );
  // front outer face (in shade), two planks
  face(
    [
      [X0, HB, Z0],
      [X1, HB, Z0],
      [X1, HB / 2, Z0],
      [X0, HB / 2, Z0],
    ],
    0.7,
    68,
  );
  face(
    [
      [X0, HB / 2, Z0],
      [X1, HB / 2, Z0],
      [X1, 0, Z0],
      [X0, 0, Z0],
    ],
    0.64,
    69,
  );
  img.strokePolyline([proj(X0, HB / 2, Z0), proj(X1, HB / 2, Z0)], false, 1.6, 0x3b2612, undefined, 0.7);
  img.strokePolyline([proj(X0, HB, Z0), proj(X1, HB, Z0)], false, 1.2, 0xe7c08a, undefined, 0.6);
  // board joints and screws
  for (const [x, z] of [
    [X0 + T, Z0],
    [X1 - T, Z0],
    [X0 + T, Z1 - T],
    [X1 - T, Z1 - T],
  ] as const) {
    const a = proj(x, HB, z);
    const b = proj(x, HB, z + T);
    img.strokePolyline([a, b], false, 1.2, 0x4a2f16, undefined, 0.8);
  }
  for (const x of [X0 + T / 2, X1 - T / 2]) {
    for (const y of [HB * 0.3, HB * 0.75]) {
      const [sx, sy] = proj(x, y, Z0);
      img.fillPoly(ellipse(sx, sy, 2.2, 2.2, 12), 0x5a5a5a);
    }
  }

  // --- sandcastle
  const box3 = (x0: number, x1: number, y0: number, y1: number, z0: number, z1: number, base: Color): void => {
    const paint = (k: number) => (x: number, y: number) => shade(base, k * (0.93 + 0.14 * vnoise(x / 3, y / 3, 71)));
    if (x0 > 0)
      img.fillPoly(
        quad([
          [x0, y1, z1],
          [x0, y1, z0],
          [x0, y0, z0],
          [x0, y0, z1],
        ]),
        paint(0.78),
      );
    if (x1 < 0)
      img.fillPoly(
        quad([
          [x1, y1, z0],
          [x1, y1, z1],
          [x1, y0, z1],
          [x1, y0, z0],
        ]),
        paint(0.98),
      );
    img.fillPoly(
      quad([
        [x0, y1, z1],
        [x1, y1, z1],
        [x1, y1, z0],
        [x0, y1, z0],
      ]),
      paint(1.1),
    );
    img.fillPoly(
      quad([
        [x0, y1, z0],
        [x1, y1, z0],
        [x1, y0, z0],
        [x0, y0, z0],
      ]),
      paint(0.8),
    );
  };
  const CASTLE = 0xcfae74;
  img.fillPoly(
    convexHull([
      shadowOf(-0.72, S + 0.2, 4.4, S),
      shadowOf(-0.26, S + 0.2, 4.68, S),
      proj(-0.72, S, 4.4),
      proj(-0.26, S, 4.68),
      proj(-0.72, S, 4.68),
      proj(-0.18, S, 4.4),
    ]),
    0x7a5a2c,
    0.22,
  );
  box3(-0.64, -0.26, S, S + 0.17, 4.5, 4.68, CASTLE);
  for (let i = 0; i < 5; i++) box3(-0.64 + i * 0.085, -0.64 + i * 0.085 + 0.045, S + 0.17, S + 0.21, 4.5, 4.54, CASTLE);
  box3(-0.72, -0.58, S, S + 0.27, 4.38, 4.52, CASTLE);
  box3(-0.32, -0.18, S, S + 0.27, 4.38, 4.52, CASTLE);
  for (const tx of [-0.72, -0.32]) {
    box3(tx, tx + 0.04, S + 0.27, S + 0.31, 4.38, 4.42, CASTLE);
    box3(tx + 0.1, tx + 0.14, S + 0.27, S + 0.31, 4.38, 4.42, CASTLE);
  }
  // door arch
  const [dx0, dy0] = proj(-0.49, S, 4.5);
  const [dx1, dy1] = proj(-0.41, S + 0.1, 4.5);
  img.fillPoly(
    [
      ...ellipse((dx0 + dx1) / 2, dy1, (dx1 - dx0) / 2, (dx1 - dx0) / 2, 16).filter((p) => p[1] <= dy1),
      [dx1, dy1],
      [dx1, dy0],
      [dx0, dy0],
      [dx0, dy1],
    ],
    0x6b5230,
  );
  // flag
  const pole0 = proj(-0.25, S + 0.29, 4.45);
  const pole1 = proj(-0.25, S + 0.47, 4.45);
  img.strokePolyline([pole0, pole1], false, 2.2, 0x6b4a2a);
  img.fillPoly([pole1, proj(-0.1, S + 0.43, 4.45), proj(-0.25, S + 0.39, 4.45)], 0xe63946);

  // --- bucket
  const bucketAt: readonly [number, number] = [0.6, 4.15];
  const rb = 0.1;
  const rt = 0.135;
  const hb = 0.2;
  const circle3 = (cx: number, y: number, cz: number, rad: number, n = 40): Pt[] => {
    const out: Pt[] = [];
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      out.push(proj(cx + rad * Math.cos(a), y, cz + rad * Math.sin(a)));
    }
    return out;
  };
  const shadowCircle: Pt[] = [];
  for (let i = 0; i < 40; i++) {
    const a = (2 * Math.PI * i) / 40;
    shadowCircle.push(
      proj(bucketAt[0] + light[0] * hb * 0.6 + rt * 1.1 * Math.cos(a), S, bucketAt[1] + light[1] * hb * 0.6 + rt * 1.2 * Math.sin(a)),
    );
  }
  img.fillPoly(shadowCircle, 0x6e5228, 0.38);
  const bottom = circle3(bucketAt[0], S, bucketAt[1], rb);
  const topRing = circle3(bucketAt[0], S + hb, bucketAt[1], rt);
  const body = convexHull([...bottom, ...topRing]);
  const [bcx] = proj(bucketAt[0], S + hb / 2, bucketAt[1]);
  const halfW = (focal * rt) / (bucketAt[1] * cosT);
  img.fillPoly(body, (x) => {
    const t = (x - bcx) / halfW;
    return shade(0xd62828, 0.62 + 0.3 * (1 - (t - 0.35) * (t - 0.35)));
  });
  for (const h of [0.04, 0.16])
    img.strokePolyline(
      circle3(bucketAt[0], S + h, bucketAt[1], rb + ((rt - rb) * h) / hb).filter((_, i) => i > 0 && i < 20),
      false,
      1.3,
      0x8f1414,
      undefined,
      0.7,
    );
  img.fillPoly(topRing, (_x, y) => {
    const [, ty] = proj(bucketAt[0], S + hb, bucketAt[1]);
    return shade(0x7a1111, 0.7 + 0.4 * Math.max(0, Math.min(1, (y - ty + 10) / 30)));
  });
  img.strokePolyline(topRing, true, 3, 0xf05050);
  const handle: Pt[] = [];
  for (let i = 0; i <= 24; i++) {
    const a = (Math.PI * i) / 24;
    handle.push(proj(bucketAt[0] + rt * Math.cos(a), S + hb + 0.12 * Math.sin(a), bucketAt[1] - 0.02));
  }
  img.strokePolyline(handle, false, 2.6, 0x444444);

  // --- shovel lying on the sand
  const shovelPts = (dy: number): { handle: Pt[]; blade: Pt[] } => {
    const a: readonly [number, number] = [-0.15, 3.62];
    const b: readonly [number, number] = [0.3, 3.78];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const ux = (b[0] - a[0]) / len;
    const uz = (b[1] - a[1]) / len;
    const nx = -uz;
    const nz = ux;
    const bladePts: Pt[] = [];
    const outline: readonly [number, number][] = [
      [0, -0.035],
      [0.05, -0.08],
      [0.17, -0.085],
      [0.23, -0.05],
      [0.25, 0],
      [0.23, 0.05],
      [0.17, 0.085],
      [0.05, 0.08],
      [0, 0.035],
    ];
    for (const [u, v] of outline)
      bladePts.push(proj(b[0] + ux * u + nx * v + light[0] * dy, S + 0.015 - dy, b[1] + uz * u + nz * v + light[1] * dy));
    return {
      handle: [
        proj(a[0] + light[0] * dy, S + 0.02 - dy, a[1] + light[1] * dy),
        proj(b[0] + light[0] * dy, S + 0.02 - dy, b[1] + light[1] * dy),
      ],
      blade: bladePts,
    };
  };
  const sh = shovelPts(0.03);
  img.strokePolyline(sh.handle, false, 7, 0x6e5228, undefined, 0.35);
  img.fillPoly(sh.blade, 0x6e5228, 0.35);
  const sv = shovelPts(0);
  img.strokePolyline(sv.handle, false, 6.5, 0x1d4ed8);
  img.strokePolyline(sv.handle, false, 2, 0x7aa2ff, undefined, 0.6);
  img.fillPoly(sv.blade, (x, y) => shade(0xf5c518, 0.85 + 0.25 * vnoise(x / 20, y / 20, 81)));
  img.strokePolyline(sv.blade, true, 1.2, 0xb38b00, undefined, 0.8);

  // --- beach ball on the lawn
  const ballC: readonly [number, number, number] = [-1.95, 0.17, 5.2];
  const [bx, by] = proj(...ballC);
  const br = (focal * 0.17) / (ballC[2] * cosT - (ballC[1] - camY) * sinT);
  img.fillPoly(ellipse(...shadowOf(ballC[0], ballC[1], ballC[2]), br * 1.1, br * 0.4, 40), 0x1c3a12, 0.4);
  const gores: readonly Color[] = [0xe63946, 0xffffff, 0x1d4ed8, 0xf5c518, 0xffffff, 0x2a9d4b];
  img.fillPoly(ellipse(bx, by, br, br, 64), (x, y) => {
    const nx = (x - bx) / br;
    const ny = (y - by) / br;
    const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
    const lit = 0.55 + 0.5 * Math.max(0, 0.45 * nx - 0.55 * ny + 0.7 * nz);
    const lon = Math.atan2(nx, nz + 0.35 * ny);
    const idx = Math.floor(((lon + Math.PI) / (2 * Math.PI)) * 12) % gores.length;
    const spec = Math.max(0, 1 - Math.hypot(nx - 0.35, ny + 0.45) / 0.22);
    return mix(shade(gores[idx] ?? 0xffffff, lit), 0xffffff, spec * 0.8);
  });

  // gentle vignette
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = (x - W / 2) / (W / 2);
      const dy = (y - H / 2) / (H / 2);
      const v = 1 - 0.16 * (dx * dx + dy * dy);
      const o = (y * W + x) * 4;
      img.data[o] = clamp255((img.data[o] ?? 0) * v);
      img.data[o + 1] = clamp255((img.data[o + 1] ?? 0) * v);
      img.data[o + 2] = clamp255((img.data[o + 2] ?? 0) * v);
    }
  }
  return img;
}

function ellipse(cx: number, cy: number, rx: number, ry: number, n: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    out.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

type BlockStyle = 'title' | 'subtitle' | 'h' | 'sub' | 'p' | 'item' | 'sign';

interface Block {
  style: BlockStyle;
  text: string;
}

const STYLES: Record<BlockStyle, { size: number; bold: boolean; before: number; after: number; indent: number; center: boolean }> = {
  title: { size: 15, bold: true, before: 0, after: 6, indent: 0, center: true },
  subtitle: { size: 10.5, bold: false, before: 0, after: 14, indent: 0, center: true },
  h: { size: 11, bold: true, before: 10, after: 4, indent: 0, center: false },
  sub: { size: 10, bold: true, before: 4, after: 3, indent: 0, center: false },
  p: { size: 10, bold: false, before: 0, after: 6, indent: 0, center: false },
  item: { size: 10, bold: false, before: 0, after: 3, indent: 22, center: false },
  sign: { size: 10, bold: false, before: 26, after: 2, indent: 0, center: false },
};

function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

async function textPdf(title: string, subject: string, blocks: readonly Block[]): Promise<Buffer> {
  const doc = await newPdf(title, subject);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const PW = 612;
  const PH = 792;
  const M = 72;
  const gray = rgb(0.35, 0.35, 0.35);
  let page = doc.addPage([PW, PH]);
  let y = PH - M - 8;
  const pages: PDFPage[] = [page];
  const newPage = (): void => {
    page = doc.addPage([PW, PH]);
    pages.push(page);
    y = PH - M - 8;
  };
  for (const b of blocks) {
    const st = STYLES[b.style];
    const font = st.bold ? bold : regular;
    const lead = st.size * 1.35;
    y -= st.before;
    if (b.style === 'sign') {
      // two signature lines with captions: "left|right"
      if (y - 40 < M) newPage();
      y -= 10;
      const captions = b.text.split('|');
      captions.forEach((caption, i) => {
        const x = M + i * ((PW - 2 * M) / 2 + 18);
        page.drawLine({ start: { x, y }, end: { x: x + 200, y }, thickness: 0.75, color: rgb(0, 0, 0) });
        page.drawText(caption.trim(), { x, y: y - 13, size: 9, font: regular, color: rgb(0, 0, 0) });
        page.drawText('Signature / Date', { x, y: y - 25, size: 8, font: regular, color: gray });
      });
      y -= 30 + st.after;
      continue;
    }
    const lines = wrapText(b.text, font, st.size, PW - 2 * M - st.indent);
    // keep headings with the first lines that follow them
    const keep = b.style === 'h' || b.style === 'sub' ? lead + st.after + 4 * 13.5 : lines.length * lead;
    if (y - keep < M && y < PH - M - 8) newPage();
    for (const line of lines) {
      if (y - lead < M - 6) newPage();
      y -= lead;
      const w = font.widthOfTextAtSize(line, st.size);
      const x = st.center ? (PW - w) / 2 : M + st.indent;
      page.drawText(line, { x: r2(x), y: r2(y), size: st.size, font, color: rgb(0, 0, 0) });
    }
    y -= st.after;
  }
  pages.forEach((p, i) => {
    p.drawText('procore-sandbox', { x: M, y: PH - 44, size: 8, font: regular, color: gray });
    const right = PROJECT.display_name;
    p.drawText(right, { x: r2(PW - M - regular.widthOfTextAtSize(right, 8)), y: PH - 44, size: 8, font: regular, color: gray });
    p.drawLine({ start: { x: M, y: PH - 50 }, end: { x: PW - M, y: PH - 50 }, thickness: 0.5, color: gray });
    p.drawLine({ start: { x: M, y: 52 }, end: { x: PW - M, y: 52 }, thickness: 0.5, color: gray });
    p.drawText(NOT_FOR_CONSTRUCTION, { x: M, y: 40, size: 8, font: bold, color: gray });
    const num = `Page ${i + 1} of ${pages.length}`;
    p.drawText(num, { x: r2(PW - M - regular.widthOfTextAtSize(num, 8)), y: 40, size: 8, font: regular, color: gray });
  });
  return savePdf(doc);
}

const OWNER = 'Sandbox Owner LLC';

function vendorName(key: string): string {
  return VENDORS.find((v) => v.key === key)?.name ?? key;
}

function money(value: string): string {
  return Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function completionDays(): number {
  return SCHEDULE_TASKS.find((t) => t.milestone)?.start ?? 145;
}

function primeContractPdf(): Promise<Buffer> {
  const gc = vendorName('gc');
  const arch = vendorName('design');
  const B = (style: BlockStyle, text: string): Block => ({ style, text });
  return textPdf('Prime Contract', `Owner-Contractor agreement, ${PROJECT.display_name}`, [
    B('title', 'STANDARD FORM OF AGREEMENT BETWEEN OWNER AND CONTRACTOR'),
    B('subtitle', `Stipulated Sum  |  Project ${PROJECT.display_name}  |  Contract No. PC-001`),
    B(
      'p',
      `THIS AGREEMENT is made as of the first day of the sandbox project between the Owner, ${OWNER}, and the Contractor, ${gc}, for the following Project: ${PROJECT.display_name}, ${PROJECT.address}, ${PROJECT.city}, ${PROJECT.state_code} ${PROJECT.zip}. The Architect is ${arch}.`,
    ),
    B('h', 'ARTICLE 1  THE CONTRACT DOCUMENTS'),
    B(
      'p',
      'The Contract Documents consist of this Agreement, the Conditions of the Contract (General, Supplementary and other Conditions), the Drawings, the Specifications, Addenda issued prior to execution of this Agreement, and Modifications issued after execution. The Contract Documents form the Contract and represent the entire and integrated agreement between the parties.',
    ),
    B('h', 'ARTICLE 2  THE WORK OF THIS CONTRACT'),
    B(
      'p',
      `The Contractor shall fully execute the Work described in the Contract Documents, including a ${PROJECT.square_feet.toLocaleString('en-US')} square foot five-story office building with associated site work, parking and utilities, except as specifically indicated in the Contract Documents to be the responsibility of others.`,
    ),
    B('h', 'ARTICLE 3  DATE OF COMMENCEMENT AND SUBSTANTIAL COMPLETION'),
    B(
      'p',
      `The date of commencement of the Work shall be the date of the Owner's Notice to Proceed. The Contractor shall achieve Substantial Completion of the entire Work not later than ${completionDays()} calendar days from the date of commencement, subject to adjustments as provided in the Contract Documents.`,
    ),
    B('h', 'ARTICLE 4  CONTRACT SUM'),
    B(
      'p',
      `The Owner shall pay the Contractor the Contract Sum in current funds for the Contractor's performance of the Contract. The Contract Sum shall be $${money(PROJECT.total_value)}, subject to additions and deductions as provided in the Contract Documents.`,
    ),
    B('item', 'A.  Alternate No. 1, rooftop photovoltaic array: not accepted.'),
    B('item', 'B.  Allowance for site utility relocation: $150,000.00.'),
    B('item', 'C.  Unit price for unsuitable soil removal and replacement: $42.00 per cubic yard.'),
    B('h', 'ARTICLE 5  PAYMENTS'),
    B(
      'p',
      'Based upon Applications for Payment submitted to the Architect by the Contractor and Certificates for Payment issued by the Architect, the Owner shall make progress payments on account of the Contract Sum monthly. Retainage of ten percent (10%) shall be withheld from each progress payment until the Work is fifty percent (50%) complete, and five percent (5%) thereafter.',
    ),
    B('h', 'ARTICLE 6  INSURANCE AND BONDS'),
    B(
      'p',
      'The Contractor shall purchase and maintain commercial general liability insurance, automobile liability insurance and workers compensation insurance, and shall furnish a performance bond and a payment bond, each in an amount equal to one hundred percent (100%) of the Contract Sum.',
    ),
    B('h', 'ARTICLE 7  MISCELLANEOUS PROVISIONS'),
    B(
      'p',
      'This document is sample content generated by procore-sandbox, an offline emulator of the Procore Developer Sandbox. It is not a legal agreement and creates no obligations.',
    ),
    B('sign', `OWNER: ${OWNER}|CONTRACTOR: ${gc}`),
  ]);
}

function concreteSpecPdf(): Promise<Buffer> {
  const B = (style: BlockStyle, text: string): Block => ({ style, text });
  return textPdf('03 30 00 - Cast-in-Place Concrete', `Specification section, ${PROJECT.display_name}`, [
    B('title', 'SECTION 03 30 00'),
    B('title', 'CAST-IN-PLACE CONCRETE'),
    B('subtitle', `${PROJECT.display_name}  |  Issued for Sandbox Testing ${ISSUE_DATE}`),
    B('h', 'PART 1 - GENERAL'),
    B('sub', '1.1  SUMMARY'),
    B(
      'item',
      'A.  Section includes cast-in-place concrete for footings, foundation walls, elevator pit, slabs-on-grade, elevated slabs on metal deck, and equipment pads.',
    ),
    B(
      'item',
      'B.  Related sections: Section 03 20 00 Concrete Reinforcing; Section 07 26 00 Vapor Retarders; Section 31 20 00 Earth Moving.',
    ),
    B('sub', '1.2  REFERENCES'),
    B('item', 'A.  ACI 301 Specifications for Structural Concrete; ACI 318 Building Code Requirements for Structural Concrete.'),
    B('item', 'B.  ASTM C33 Concrete Aggregates; ASTM C94 Ready-Mixed Concrete; ASTM C150 Portland Cement; ASTM A615 Deformed Steel Bars.'),
    B('sub', '1.3  SUBMITTALS'),
    B('item', 'A.  Product data for each admixture, curing compound and vapor retarder.'),
    B(
      'item',
      'B.  Design mixtures for each concrete class, with field test records or trial batch data, submitted not less than 21 days before placement.',
    ),
    B('item', 'C.  Shop drawings for reinforcement placing, including bar schedules, bending diagrams and supports.'),
    B('sub', '1.4  QUALITY ASSURANCE'),
    B('item', 'A.  Ready-mix supplier shall comply with ASTM C94 and be certified by the NRMCA.'),
    B('item', 'B.  Testing agency shall be engaged by the Owner and qualified per ASTM C1077.'),
    B('h', 'PART 2 - PRODUCTS'),
    B('sub', '2.1  MATERIALS'),
    B(
      'item',
      'A.  Portland cement: ASTM C150, Type I/II. Fly ash: ASTM C618, Class F, not exceeding 20 percent of cementitious materials.',
    ),
    B('item', 'B.  Normal-weight aggregates: ASTM C33, maximum size 1 inch for footings, 3/4 inch for slabs.'),
    B('item', 'C.  Reinforcing bars: ASTM A615, Grade 60, deformed. Welded wire reinforcement: ASTM A1064.'),
    B('item', 'D.  Vapor retarder: ASTM E1745, Class A, 10 mil minimum thickness.'),
    B('sub', '2.2  CONCRETE MIXTURES'),
    B(
      'item',
      "A.  Footings and foundation walls: f'c = 4000 psi at 28 days, maximum water-cementitious ratio 0.45, slump 4 inches plus or minus 1 inch.",
    ),
    B(
      'item',
      "B.  Slabs-on-grade: f'c = 4000 psi at 28 days, maximum water-cementitious ratio 0.45, air content not to exceed 3 percent for troweled slabs.",
    ),
    B('item', "C.  Elevated slabs: f'c = 4000 psi at 28 days, normal weight."),
    B('h', 'PART 3 - EXECUTION'),
    B('sub', '3.1  FORMWORK AND REINFORCEMENT'),
    B('item', 'A.  Design, construct and maintain formwork per ACI 301 to tolerances of ACI 117. Chamfer exposed corners 3/4 inch.'),
    B('item', 'B.  Place reinforcement accurately and support with chairs and bolsters; provide concrete cover per ACI 318.'),
    B('sub', '3.2  PLACING AND FINISHING'),
    B(
      'item',
      'A.  Place concrete in a continuous operation within planned joints. Do not add water at the site beyond the approved mix design.',
    ),
    B(
      'item',
      'B.  Slab finishes: steel trowel finish for interior slabs to receive floor coverings; broom finish for exterior walks and pads. Flatness FF 35 / FL 25 minimum.',
    ),
    B('sub', '3.3  CURING'),
    B(
      'item',
      'A.  Protect freshly placed concrete from premature drying and cure for not less than 7 days by moisture-retaining cover or curing compound.',
    ),
    B('sub', '3.4  FIELD QUALITY CONTROL'),
    B(
      'item',
      'A.  Cast one set of four cylinders for each 50 cubic yards or fraction thereof of each concrete mixture placed in any one day; test one at 7 days, two at 28 days, hold one in reserve.',
    ),
    B('item', 'B.  Perform slump (ASTM C143), air content (ASTM C231) and temperature (ASTM C1064) tests with each set of cylinders.'),
    B('p', 'END OF SECTION 03 30 00'),
    B('p', 'Sample specification generated by procore-sandbox for testing purposes only.'),
  ]);
}

function meetingMinutesText(): string {
  const users = SEED_USERS.map((u) => `  - ${u.first_name} ${u.last_name}, ${u.job_title}, ${vendorName(u.vendor)} <${u.email}>`);
  const schedule = SCHEDULE_TASKS.map(
    (t) => `      ${t.task_name.padEnd(24)} day ${String(t.start).padStart(3)}  ${t.milestone ? 'milestone' : `${t.days} days`}`,
  );
  return [
    'OAC MEETING MINUTES - MEETING NO. 001',
    '======================================',
    '',
    `Project:   ${PROJECT.display_name}`,
    `Location:  Jobsite trailer, ${PROJECT.address}, ${PROJECT.city}, ${PROJECT.state_code} ${PROJECT.zip}`,
    'Meeting:   Owner / Architect / Contractor (OAC), weekly',
    'Date:      Week 1 of construction (Mobilization)',
    'Recorder:  API Support, Sandbox Builders Inc.',
    '',
    'ATTENDEES',
    ...users,
    `  - Owner's representative, ${OWNER}`,
    '',
    'OLD BUSINESS',
    '  001.0  None - this is the first OAC meeting.',
    '',
    'NEW BUSINESS',
    '  001.1  Schedule. The baseline schedule was reviewed:',
    ...schedule,
    '         Action: GC to issue the baseline schedule in Procore by next meeting.',
    '  001.2  Submittals. Concrete mix designs (Section 03 30 00) and reinforcing shop',
    '         drawings are due within 14 days. Action: Test Subcontractor Co.',
    '  001.3  RFIs. RFI #1 (footing depth at grid A/1) issued to the Architect;',
    '         response requested within 7 days. Action: Sandbox Design Partners.',
    '  001.4  Site logistics. Gate 1 on Carpinteria Avenue is the only truck entrance.',
    '         Tower crane foundation to be poured with the mat at grid C/3.',
    '         See "Site Logistics Plan.png" in 04 - Project Information.',
    '  001.5  Safety. Site-specific safety plan accepted. Daily tailgate meetings at',
    '         7:00 AM. Hard hats, vests and safety glasses required past the fence.',
    '  001.6  Drawings. Current set: A1.01, A2.01, A3.01, S1.01 (Rev A).',
    '',
    'NEXT MEETING',
    '  Same time next week, jobsite trailer.',
    '',
    'These minutes are sample content generated by procore-sandbox. Corrections',
    'should be sent to the recorder within five working days.',
    '',
  ].join('\n');
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function projectDirectoryCsv(): string {
  const rows: string[][] = [['First Name', 'Last Name', 'Email', 'Job Title', 'Company', 'Trade', 'Project']];
  for (const u of SEED_USERS) {
    const vendor = VENDORS.find((v) => v.key === u.vendor);
    rows.push([u.first_name, u.last_name, u.email, u.job_title, vendor?.name ?? '', vendor?.trade_name ?? '', PROJECT.display_name]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
