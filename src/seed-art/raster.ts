/** Raster: an RGBA canvas with anti-aliased polygon filling, strokes and a 5x7 bitmap font; PNG and JPEG encoding. */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { type Color, type Pt, clamp255, pack } from './color.js';

// ---------------------------------------------------------------------------------------------
// Raster: an RGBA canvas with anti-aliased polygon filling, strokes and a 5x7 bitmap font
// ---------------------------------------------------------------------------------------------

export type Paint = Color | ((x: number, y: number) => Color);

export const SUBSAMPLES = 4;

export class Raster {
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

export type Align = 'left' | 'center' | 'right';

/** 5x7 bitmap glyphs, rows top to bottom. */
export const FONT: Record<string, string> = {
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
export const UNKNOWN_GLYPH = '11111,10001,10001,10001,10001,10001,11111';

export function glyph(ch: string): string[] {
  return (FONT[ch] ?? UNKNOWN_GLYPH).split(',');
}

/** Area-average downscale. */
export function downsample(src: Raster, dw: number, dh: number): Raster {
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
export function encodePng(r: Raster, grayscale: boolean): Buffer {
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

export function encodeJpeg(r: Raster, quality: number): Buffer {
  return Buffer.from(jpeg.encode({ data: r.data, width: r.width, height: r.height }, quality).data);
}
