/** Binary files the seed stores as real rows (blobs). Generated once per process, deterministic. */
export interface AssetFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface DrawingSheetSpec {
  number: string; // e.g. "A2.01"
  title: string; // e.g. "First Floor Plan"
  discipline: string; // e.g. "Architectural"
}

export interface DrawingSheetAssets {
  /** One-page PDF sheet (ANSI D proportions), with title block showing number and title. */
  pdf: AssetFile;
  /** PNG rendering of the same sheet, about 1200×800. */
  png: AssetFile;
  /** PNG thumbnail, about 300×200. */
  thumbnail: AssetFile;
}

export interface SeedAssets {
  /** A real picture of a sandbox (JPEG, about 1024×768) and its thumbnail (JPEG, about 200×150). */
  sandboxPhoto: { image: AssetFile; thumbnail: AssetFile; width: number; height: number };
  /** Sheets keyed by drawing number, for every spec in DRAWING_SHEETS. */
  drawings: Record<string, DrawingSheetAssets>;
  /** Document files keyed by their seed key (see DOCUMENT_FILES). */
  documents: Record<string, AssetFile>;
}
