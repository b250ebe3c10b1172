/** The sandbox photo (JPEG and thumbnail) of the seeded photo album. */
import type { SeedAssets } from '../core/seed/assets-types.js';
import { type Color, type Pt, clamp255, fbm, mix, shade, vnoise } from './color.js';
import { Raster, downsample, encodeJpeg } from './raster.js';

// ---------------------------------------------------------------------------------------------
// Sandbox photo
// ---------------------------------------------------------------------------------------------

export const PHOTO_W = 1024;
export const PHOTO_H = 768;

export function renderSandboxPhotoAssets(): SeedAssets['sandboxPhoto'] {
  const r = renderSandboxPhoto();
  return {
    image: { filename: 'sandbox.jpg', contentType: 'image/jpeg', data: encodeJpeg(r, 80) },
    thumbnail: { filename: 'sandbox_thumb.jpg', contentType: 'image/jpeg', data: encodeJpeg(downsample(r, 200, 150), 80) },
    width: PHOTO_W,
    height: PHOTO_H,
  };
}

export function convexHull(points: readonly Pt[]): Pt[] {
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

export function renderSandboxPhoto(): Raster {
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

export function ellipse(cx: number, cy: number, rx: number, ry: number, n: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    out.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return out;
}
