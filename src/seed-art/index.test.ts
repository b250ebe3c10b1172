import { describe, it, expect } from 'vitest';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { generateSeedAssets, loadSeedAssets } from './index.js';
import type { AssetFile, SeedAssets } from '../core/seed/assets-types.js';
import { DOCUMENT_FILES, DRAWING_SHEETS, SEED_USERS } from '../core/seed/content.js';

const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

function allFiles(a: SeedAssets): AssetFile[] {
  return [
    a.sandboxPhoto.image,
    a.sandboxPhoto.thumbnail,
    ...Object.values(a.drawings).flatMap((d) => [d.pdf, d.png, d.thumbnail]),
    ...Object.values(a.documents),
  ];
}

function pngSize(file: AssetFile): { width: number; height: number } {
  const png = PNG.sync.read(file.data);
  return { width: png.width, height: png.height };
}

async function loadPdf(file: AssetFile): Promise<PDFDocument> {
  expect(file.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const doc = await PDFDocument.load(file.data, { updateMetadata: false });
  expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
  expect(doc.getProducer()).toBe('procore-sandbox');
  expect(doc.getCreator()).toBe('procore-sandbox');
  expect(doc.getCreationDate()?.getTime()).toBe(FIXED_DATE.getTime());
  expect(doc.getModificationDate()?.getTime()).toBe(FIXED_DATE.getTime());
  return doc;
}

describe('seed assets', () => {
  const assets = loadSeedAssets();

  it('memoizes: one generation per process', async () => {
    expect(await loadSeedAssets()).toBe(await assets);
  });

  it('sandbox photo is a real JPEG of the reported size, with a small thumbnail', async () => {
    const { sandboxPhoto } = await assets;
    expect(sandboxPhoto.image).toMatchObject({ filename: 'sandbox.jpg', contentType: 'image/jpeg' });
    expect(sandboxPhoto.thumbnail).toMatchObject({ filename: 'sandbox_thumb.jpg', contentType: 'image/jpeg' });
    const img = jpeg.decode(sandboxPhoto.image.data, { useTArray: true });
    expect([img.width, img.height]).toEqual([sandboxPhoto.width, sandboxPhoto.height]);
    expect([img.width, img.height]).toEqual([1024, 768]);
    const thumb = jpeg.decode(sandboxPhoto.thumbnail.data, { useTArray: true });
    expect([thumb.width, thumb.height]).toEqual([200, 150]);
    // a picture, not a flat fill: sky at the top is blue, sand in the middle is sandy
    const px = (x: number, y: number): [number, number, number] => {
      const o = (y * img.width + x) * 4;
      return [img.data[o] ?? 0, img.data[o + 1] ?? 0, img.data[o + 2] ?? 0];
    };
    const [sr, , sb] = px(400, 20);
    expect(sb).toBeGreaterThan(sr);
    const [r, g, b] = px(350, 600);
    expect(r).toBeGreaterThan(b + 30);
    expect(g).toBeGreaterThan(b);
    // and lawn at the bottom is green
    const [lr, lg, lb] = px(512, 740);
    expect(lg).toBeGreaterThan(lr);
    expect(lg).toBeGreaterThan(lb);
  });

  it('has a PDF, PNG and thumbnail for every drawing sheet', async () => {
    const { drawings } = await assets;
    expect(Object.keys(drawings).sort()).toEqual(DRAWING_SHEETS.map((s) => s.number).sort());
    for (const spec of DRAWING_SHEETS) {
      const sheet = drawings[spec.number];
      expect(sheet, spec.number).toBeDefined();
      if (!sheet) continue;
      expect(sheet.pdf).toMatchObject({ filename: `${spec.number}.pdf`, contentType: 'application/pdf' });
      expect(sheet.png).toMatchObject({ filename: `${spec.number}.png`, contentType: 'image/png' });
      expect(sheet.thumbnail).toMatchObject({ filename: `${spec.number}_thumb.png`, contentType: 'image/png' });
      const doc = await loadPdf(sheet.pdf);
      expect(doc.getPageCount()).toBe(1);
      const page = doc.getPage(0);
      expect([page.getWidth(), page.getHeight()]).toEqual([36 * 72, 24 * 72]);
      expect(doc.getTitle()).toBe(`${spec.number} - ${spec.title}`);
      expect(pngSize(sheet.png)).toEqual({ width: 1200, height: 800 });
      expect(pngSize(sheet.thumbnail)).toEqual({ width: 300, height: 200 });
    }
  });

  it('sheets differ from one another', async () => {
    const { drawings } = await assets;
    const pngs = new Set(Object.values(drawings).map((d) => d.png.data.toString('base64')));
    const pdfs = new Set(Object.values(drawings).map((d) => d.pdf.data.toString('base64')));
    expect(pngs.size).toBe(DRAWING_SHEETS.length);
    expect(pdfs.size).toBe(DRAWING_SHEETS.length);
  });

  it('has every document file with its filename and content type', async () => {
    const { documents } = await assets;
    expect(Object.keys(documents).sort()).toEqual(Object.keys(DOCUMENT_FILES).sort());
    for (const [key, meta] of Object.entries(DOCUMENT_FILES)) {
      const file = documents[key];
      expect(file, key).toBeDefined();
      if (!file) continue;
      expect(file.filename).toBe(meta.filename);
      expect(file.contentType).toBe(meta.contentType);
      expect(file.data.length).toBeGreaterThan(100);
      if (meta.contentType === 'application/pdf') await loadPdf(file);
      if (meta.contentType === 'image/png') {
        const { width, height } = pngSize(file);
        expect(width).toBeGreaterThanOrEqual(600);
        expect(height).toBeGreaterThanOrEqual(400);
      }
      if (meta.contentType.startsWith('text/')) {
        const text = file.data.toString('utf8');
        expect(Buffer.from(text, 'utf8').equals(file.data)).toBe(true);
        expect(text).toContain('Sandbox Test Project');
      }
    }
  });

  it('project directory CSV lists the seed users', async () => {
    const csv = (await assets).documents.projectDirectory?.data.toString('utf8') ?? '';
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^First Name,Last Name,Email/);
    expect(lines).toHaveLength(SEED_USERS.length + 1);
    for (const u of SEED_USERS) {
      expect(csv).toContain(`${u.first_name},${u.last_name},${u.email}`);
    }
    expect(csv).toContain('Test,Architect,sandbox+arch@example.com');
    expect(csv).toContain('Test,Subcontractor,sandbox+sub@example.com');
    expect(csv).toContain('API,Support,sandbox+demo@example.com');
  });

  it('is deterministic: two fresh generations are byte-identical', async () => {
    const a = allFiles(await generateSeedAssets());
    const b = allFiles(await generateSeedAssets());
    expect(a.map((f) => f.filename)).toEqual(b.map((f) => f.filename));
    a.forEach((f, i) => {
      expect(f.data.equals(b[i]?.data ?? Buffer.alloc(0)), f.filename).toBe(true);
    });
    // and the memoized copy matches a fresh one
    const memo = allFiles(await assets);
    memo.forEach((f, i) => expect(f.data.equals(a[i]?.data ?? Buffer.alloc(0)), f.filename).toBe(true));
  });

  it('stays small', async () => {
    const files = allFiles(await assets);
    for (const f of files) expect(f.data.length, f.filename).toBeLessThan(100 * 1024);
    const total = files.reduce((n, f) => n + f.data.length, 0);
    expect(total).toBeLessThan(1.5 * 1024 * 1024);
  });
});
