import { Alert, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * A PDF's pages drawn into canvases by pdf.js (src/lib/pdf-render.ts), never handed to the
 * browser's PDF viewer: a merchant's or customer's file can run no script and navigate nowhere,
 * and the page's own Content-Security-Policy stays as strict as it is. pdf.js is loaded on the
 * first preview, not with the page.
 */
export function PdfPreview({ bytes }: { bytes: ArrayBuffer }) {
  const i18n = useI18n();
  // Canvases are added here by the effect, outside React's children (this div has none).
  const pagesRef = useRef<HTMLDivElement>(null);
  const [progress, setProgress] = useState<{ pages: number; shown: number; rendered: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => Promise<void>) | undefined;
    const target = pagesRef.current;
    (async () => {
      const { openPdf, renderPage, MAX_PREVIEW_PAGES } = await import('../lib/pdf-render');
      if (cancelled || !target) return;
      // pdf.js hands the buffer to its worker (detaching it): give it a copy, the prop stays whole.
      const opened = await openPdf(bytes.slice(0));
      destroy = opened.destroy;
      if (cancelled) return;
      const pages = opened.document.numPages;
      const shown = Math.min(pages, MAX_PREVIEW_PAGES);
      setProgress({ pages, shown, rendered: 0 });
      const width = Math.max(200, target.clientWidth);
      for (let pageNumber = 1; pageNumber <= shown; pageNumber++) {
        const canvas = document.createElement('canvas');
        canvas.dataset.page = String(pageNumber);
        canvas.style.display = 'block';
        canvas.style.marginBottom = '8px';
        canvas.style.boxShadow = '0 0 0 1px rgba(0, 0, 0, 0.15)';
        target.appendChild(canvas);
        await renderPage(opened.document, pageNumber, canvas, width);
        if (cancelled) return;
        setProgress({ pages, shown, rendered: pageNumber });
      }
    })().catch(() => {
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
      target?.replaceChildren();
      void destroy?.();
    };
  }, [bytes]);

  if (failed) return <Alert type="warning" showIcon title={i18n.t('case.evidence.previewUnavailable')} />;
  return (
    <div data-testid="pdf-preview" data-pages={progress?.pages ?? ''} data-rendered={progress?.rendered ?? 0}>
      {(!progress || progress.rendered < progress.shown) && <Spin style={{ display: 'block', margin: 16 }} />}
      {progress && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {progress.shown < progress.pages
            ? i18n.t('case.evidence.pdfFirstPages', { shown: progress.shown, pages: progress.pages })
            : i18n.t('case.evidence.pdfPages', { pages: progress.pages })}
        </Typography.Paragraph>
      )}
      <div ref={pagesRef} style={{ maxHeight: 640, overflowY: 'auto' }} />
    </div>
  );
}
