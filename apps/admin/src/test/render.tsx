import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactElement } from 'react';
import { I18nProvider, type Locale } from '../i18n/i18n';

/** Renders a component with what the app wraps it in: the language and antd's providers. */
export function renderWithProviders(ui: ReactElement, locale: Locale = 'en') {
  return render(
    <I18nProvider locale={locale}>
      <ConfigProvider>
        <AntApp>{ui}</AntApp>
      </ConfigProvider>
    </I18nProvider>,
  );
}
