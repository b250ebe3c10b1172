/** The drawing sheets of the seeded drawing set (site plan, floor plan, elevations, foundation plan). */
import { StandardFonts } from 'pdf-lib';
import type { DrawingSheetAssets, DrawingSheetSpec } from '../core/seed/assets-types.js';
import { PROJECT } from '../core/seed/content.js';
import type { Color, Pt } from './color.js';
import { downsample, encodePng } from './raster.js';
import {
  CENTER,
  DASHED,
  ISSUE_DATE,
  PROPERTY,
  Sheet,
  type StrokeStyle,
  drawSheetPdf,
  newPdf,
  renderSheetRaster,
  savePdf,
} from './sheet.js';

// ---------------------------------------------------------------------------------------------
// Drawing sheets
// ---------------------------------------------------------------------------------------------

export const SHEET_W = 36;
export const SHEET_H = 24;
export const TB_X = 31; // title block left edge
export const NOT_FOR_CONSTRUCTION = 'NOT FOR CONSTRUCTION - procore-sandbox';
export const THIN: StrokeStyle = { w: 0.5 };
export const MEDIUM: StrokeStyle = { w: 1 };

export async function drawingSheetAssets(spec: DrawingSheetSpec, index: number, count: number): Promise<DrawingSheetAssets> {
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

export function drawingSheet(spec: DrawingSheetSpec, index: number, count: number): Sheet {
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

export type SheetKind = 'site' | 'floor' | 'elevations' | 'foundation';

export function sheetKind(spec: DrawingSheetSpec): SheetKind {
  const t = spec.title.toLowerCase();
  if (t.includes('site')) return 'site';
  if (t.includes('elevation')) return 'elevations';
  if (t.includes('foundation') || spec.discipline.toLowerCase().startsWith('struct')) return 'foundation';
  return 'floor';
}

export const SCALES: Record<SheetKind, string> = {
  site: `1" = 20'-0"`,
  floor: `3/16" = 1'-0"`,
  elevations: `1/8" = 1'-0"`,
  foundation: `3/16" = 1'-0"`,
};

export function titleBlock(s: Sheet, spec: DrawingSheetSpec, index: number, count: number, kind: SheetKind): void {
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

export function northArrow(s: Sheet, cx: number, cy: number, r: number): void {
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

export function drawingTitle(s: Sheet, x: number, y: number, num: string, title: string, scale: string, sheetNumber: string): void {
  s.circle(x + 0.4, y, 0.4, MEDIUM);
  s.line(x, y, x + 0.8, y, 0.7);
  s.label(x + 0.4, y - 0.17, num, 12, { bold: true });
  s.label(x + 0.4, y + 0.2, sheetNumber, 8);
  s.line(x + 0.8, y, x + 8.5, y, 2);
  s.text(x + 0.95, y - 0.12, title, 18, { bold: true });
  s.text(x + 0.95, y + 0.3, `SCALE: ${scale}`, 10);
}

export function gridBubble(s: Sheet, cx: number, cy: number, label: string): void {
  s.circle(cx, cy, 0.3, MEDIUM, 0xffffff);
  s.label(cx, cy, label, 14, { bold: true });
}

export function notesBlock(s: Sheet, x: number, y: number, title: string, lines: readonly string[]): void {
  s.text(x, y, title, 11, { bold: true });
  s.line(x, y + 0.08, x + 3.35, y + 0.08, 1);
  let yy = y + 0.35;
  for (const l of lines) {
    s.text(x, yy, l, 8);
    yy += l === '' ? 0.1 : 0.2;
  }
}

/** Dimension string along x at height y with ticks at each stop, all in inches. */
export function dimX(s: Sheet, y: number, stops: readonly number[], labels: readonly string[]): void {
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

export function dimY(s: Sheet, x: number, stops: readonly number[], labels: readonly string[]): void {
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

export function feet(n: number): string {
  return `${Math.floor(n)}'-${Math.round((n - Math.floor(n)) * 12)}"`;
}

// Building shared by the plans: 120' x 70', column grid 1-6 by A-D.
export const GRID_X = [0, 24, 48, 72, 96, 120] as const;
export const GRID_Y = [0, 23, 47, 70] as const;
export const GRID_COLS = ['1', '2', '3', '4', '5', '6'] as const;
export const GRID_ROWS = ['A', 'B', 'C', 'D'] as const;

export interface PlanFrame {
  ox: number;
  oy: number;
  sc: number;
}

export function planPoint(f: PlanFrame, x: number, y: number): Pt {
  return [f.ox + x * f.sc, f.oy + y * f.sc];
}

export function columnGrid(s: Sheet, f: PlanFrame): void {
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

export interface Opening {
  at: number;
  w: number;
  kind: 'door' | 'double' | 'window' | 'open';
  /** Side the door swings to: +1 = toward +y (horizontal wall) / +x (vertical wall). */
  side?: 1 | -1;
}

/** An axis-aligned wall on centreline (x1,y1)-(x2,y2), thickness t (feet), with openings. */
export function wall(
  s: Sheet,
  f: PlanFrame,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  t: number,
  openings: readonly Opening[] = [],
): void {
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

export function roomLabel(s: Sheet, f: PlanFrame, x: number, y: number, name: string, num: string): void {
  const [px, py] = planPoint(f, x, y);
  s.text(px, py, name, 10, { bold: true, align: 'center' });
  s.rect(px - 0.22, py + 0.07, 0.44, 0.22, { w: 0.5 });
  s.text(px, py + 0.24, num, 8, { align: 'center' });
}

export function floorPlan(s: Sheet): void {
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

export function foundationPlan(s: Sheet): void {
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

export function elevations(s: Sheet): void {
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

export function sitePlan(s: Sheet): void {
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
export function siteBase(s: Sheet, f: PlanFrame, color: Color = 0x000000, streetEnd = 480): void {
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
