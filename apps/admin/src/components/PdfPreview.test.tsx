import { screen, waitFor } from '@testing-library/react';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { PdfPreview } from './PdfPreview';

/**
 * jsdom draws nothing, so pdf.js itself is exercised by the browser test
 * (test/browser/evidence-preview.e2e-spec.ts); here its two calls stand in for it, to check what
 * the component does with a document: a canvas per page up to the limit, never a frame.
 */
const pdf = vi.hoisted(() => ({ pages: 1, fail: false, rendered: [] as number[], destroyed: 0 }));
vi.mock('../lib/pdf-render', () => ({
  MAX_PREVIEW_PAGES: 20,
  openPdf: async () => {
    if (pdf.fail) throw new Error('Invalid PDF structure');
    return { document: { numPages: pdf.pages }, destroy: async () => void pdf.destroyed++ };
  },
  renderPage: async (_document: unknown, pageNumber: number) => void pdf.rendered.push(pageNumber),
}));
// The files of a Vitest worker share their modules (vite.config.mts: isolate: false): the stand-in ends with this file.
afterAll(() => vi.doUnmock('../lib/pdf-render'));

const bytes = new TextEncoder().encode('%PDF-1.7').buffer as ArrayBuffer;

describe('PDF preview', () => {
  it('draws every page into a canvas of its own, in no frame', async () => {
    Object.assign(pdf, { pages: 3, fail: false, rendered: [] });
    const { container } = renderWithProviders(<PdfPreview bytes={bytes} />);
    await waitFor(() => expect(screen.getByTestId('pdf-preview').getAttribute('data-rendered')).toBe('3'));
    expect(pdf.rendered).toEqual([1, 2, 3]);
    expect(container.querySelectorAll('canvas')).toHaveLength(3);
    expect(container.querySelectorAll('iframe, embed, object')).toHaveLength(0);
    expect(screen.getByText('Pages: 3')).toBeTruthy();
  });

  it('draws the first 20 pages of a long file and says where the rest is, in Chinese too', async () => {
    Object.assign(pdf, { pages: 45, fail: false, rendered: [] });
    const { container } = renderWithProviders(<PdfPreview bytes={bytes} />, 'zh-CN');
    await waitFor(() => expect(screen.getByTestId('pdf-preview').getAttribute('data-rendered')).toBe('20'));
    expect(container.querySelectorAll('canvas')).toHaveLength(20);
    expect(screen.getByTestId('pdf-preview').textContent).toContain('仅显示前 20 页（共 45 页）');
  });

  it('says the file cannot be previewed when pdf.js cannot read it, and lets go of the document on close', async () => {
    Object.assign(pdf, { fail: true, rendered: [] });
    renderWithProviders(<PdfPreview bytes={bytes} />);
    expect(await screen.findByText('This file cannot be previewed. Download it instead.')).toBeTruthy();

    Object.assign(pdf, { pages: 1, fail: false, destroyed: 0 });
    const preview = renderWithProviders(<PdfPreview bytes={bytes} />);
    await waitFor(() => expect(pdf.rendered).toEqual([1]));
    preview.unmount();
    expect(pdf.destroyed).toBe(1);
  });
});
