/** The project documents: prime contract and specification PDFs, meeting minutes, directory CSV. */
import { StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { PROJECT, SCHEDULE_TASKS, SEED_USERS, VENDORS } from '../core/seed/content.js';
import { r2 } from './color.js';
import { newPdf, savePdf, ISSUE_DATE } from './sheet.js';
import { NOT_FOR_CONSTRUCTION } from './drawings.js';

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

export type BlockStyle = 'title' | 'subtitle' | 'h' | 'sub' | 'p' | 'item' | 'sign';

export interface Block {
  style: BlockStyle;
  text: string;
}

export const STYLES: Record<BlockStyle, { size: number; bold: boolean; before: number; after: number; indent: number; center: boolean }> = {
  title: { size: 15, bold: true, before: 0, after: 6, indent: 0, center: true },
  subtitle: { size: 10.5, bold: false, before: 0, after: 14, indent: 0, center: true },
  h: { size: 11, bold: true, before: 10, after: 4, indent: 0, center: false },
  sub: { size: 10, bold: true, before: 4, after: 3, indent: 0, center: false },
  p: { size: 10, bold: false, before: 0, after: 6, indent: 0, center: false },
  item: { size: 10, bold: false, before: 0, after: 3, indent: 22, center: false },
  sign: { size: 10, bold: false, before: 26, after: 2, indent: 0, center: false },
};

export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
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

export async function textPdf(title: string, subject: string, blocks: readonly Block[]): Promise<Buffer> {
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

export const OWNER = 'Sandbox Owner LLC';

export function vendorName(key: string): string {
  return VENDORS.find((v) => v.key === key)?.name ?? key;
}

export function money(value: string): string {
  return Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function completionDays(): number {
  return SCHEDULE_TASKS.find((t) => t.milestone)?.start ?? 145;
}

export function primeContractPdf(): Promise<Buffer> {
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

export function concreteSpecPdf(): Promise<Buffer> {
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

export function meetingMinutesText(): string {
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

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function projectDirectoryCsv(): string {
  const rows: string[][] = [['First Name', 'Last Name', 'Email', 'Job Title', 'Company', 'Trade', 'Project']];
  for (const u of SEED_USERS) {
    const vendor = VENDORS.find((v) => v.key === u.vendor);
    rows.push([u.first_name, u.last_name, u.email, u.job_title, vendor?.name ?? '', vendor?.trade_name ?? '', PROJECT.display_name]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
