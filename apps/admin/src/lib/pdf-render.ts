import { GlobalWorkerOptions, getDocument, version, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/**
 * PDF previews drawn by pdf.js into canvases of the admin page: no browser PDF plugin, no frame,
 * nothing of the file's own behaviour. pdf.js parses the file in a worker and hands back drawing
 * commands; it has no PDF JavaScript engine (that is the separate, unused pdf.sandbox), and with
 * no annotation layer nothing in the preview links or navigates anywhere.
 *
 * Loaded only when a PDF preview opens (dynamic import from EvidenceSection), so neither pdf.js
 * nor its worker is part of the admin's initial bundle. The worker is a file of this bundle, on
 * this origin, so the admin's Content-Security-Policy (script-src 'self') admits it as it is.
 */
GlobalWorkerOptions.workerSrc = workerUrl;

/** Copied into the build by vite.config.mts (pdfjsResources), under a folder named by the version. */
const RESOURCES = `${import.meta.env.BASE_URL}assets/pdfjs-${version}/`;

/** Pages drawn at most: a preview is for a look, the download has the rest. */
export const MAX_PREVIEW_PAGES = 20;

export async function openPdf(bytes: ArrayBuffer): Promise<{ document: PDFDocumentProxy; destroy(): Promise<void> }> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    // Never turn anything from the file into code (PostScript functions, font programs): the CSP
    // forbids eval anyway, and this way pdf.js does not even try.
    isEvalSupported: false,
    // XFA forms would be rendered as HTML; a preview needs only the pages.
    enableXfa: false,
    // WebAssembly would need 'wasm-unsafe-eval' in the CSP; pdf.js has JavaScript decoders for all
    // it would use it for (JPEG 2000 through the fallback below, JBIG2, colour profiles skipped).
    useWasm: false,
    wasmUrl: `${RESOURCES}wasm/`,
    // Fonts a PDF names without embedding them (common in Chinese receipts: the CJK CMaps).
    cMapUrl: `${RESOURCES}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${RESOURCES}standard_fonts/`,
  });
  const document = await task.promise;
  return { document, destroy: () => task.destroy() };
}

/** Draws one page into the canvas, `cssWidth` CSS pixels wide, sharp on high-density screens. */
export async function renderPage(document: PDFDocumentProxy, pageNumber: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const page = await document.getPage(pageNumber);
  const unscaled = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: cssWidth / unscaled.width });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
  page.cleanup();
}
