/** Sheet model: vector primitives in inches (origin top-left, y down), rendered to PDF and raster; PDF helpers. */
import {
  LineCapStyle,
  PDFDocument,
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
import { PROJECT } from '../core/seed/content.js';
import { type Color, type Pt, r2 } from './color.js';
import { type Align, Raster } from './raster.js';

// ---------------------------------------------------------------------------------------------
// Sheet model: vector primitives in inches (origin top-left, y down), rendered to PDF and raster
// ---------------------------------------------------------------------------------------------

export interface StrokeStyle {
  /** Line weight in points. */
  w: number;
  color?: Color;
  /** Dash pattern in inches. */
  dash?: readonly number[];
}

export type Prim =
  | { k: 'path'; pts: readonly Pt[]; closed: boolean; stroke?: StrokeStyle; fill?: Color }
  | { k: 'circle'; cx: number; cy: number; r: number; stroke?: StrokeStyle; fill?: Color }
  | { k: 'text'; x: number; y: number; size: number; text: string; bold: boolean; align: Align; color: Color; maxWidth?: number };

export interface TextOpts {
  bold?: boolean;
  align?: Align;
  color?: Color;
  maxWidth?: number;
}

export const DASHED: readonly number[] = [0.18, 0.09];
export const CENTER: readonly number[] = [0.6, 0.1, 0.1, 0.1];
export const PROPERTY: readonly number[] = [0.7, 0.12, 0.12, 0.12, 0.12, 0.12];

export class Sheet {
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

export function colorArgs(c: Color): [number, number, number] {
  return [((c >> 16) & 255) / 255, ((c >> 8) & 255) / 255, (c & 255) / 255];
}

export const KAPPA = 0.5522847498;

export function drawSheetPdf(page: PDFPage, sheet: Sheet, regular: PDFFont, bold: PDFFont): void {
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

export function renderSheetRaster(sheet: Sheet, width: number, height: number): Raster {
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

export const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
export const ISSUE_DATE = '01/01/2024';

export async function newPdf(title: string, subject: string): Promise<PDFDocument> {
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

export async function savePdf(doc: PDFDocument): Promise<Buffer> {
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false }));
}
