/** The site logistics plan (the colour PNG among the project documents). */
import { PROJECT } from '../core/seed/content.js';
import type { Color, Pt } from './color.js';
import { Sheet, ISSUE_DATE } from './sheet.js';
import { NOT_FOR_CONSTRUCTION, type PlanFrame, northArrow, planPoint, siteBase } from './drawings.js';

// ---------------------------------------------------------------------------------------------
// Site logistics plan (document PNG, colour)
// ---------------------------------------------------------------------------------------------

export function siteLogisticsSheet(): Sheet {
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
