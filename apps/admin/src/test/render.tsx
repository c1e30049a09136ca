import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactElement } from 'react';
import { I18nProvider, type Locale } from '../i18n/i18n';

/** Renders a component with what the app wraps it in: the language and antd's providers. */
export function renderWithProviders(ui: ReactElement, locale: Locale = 'en') {
  const wrap = (element: ReactElement) => (
    <I18nProvider locale={locale}>
      <ConfigProvider>
        <AntApp>{element}</AntApp>
      </ConfigProvider>
    </I18nProvider>
  );
  const rendered = render(wrap(ui));
  // Re-renders with new props inside the same providers (as a parent passing new data would).
  return { ...rendered, rerenderWithProviders: (next: ReactElement) => rendered.rerender(wrap(next)) };
}
