import { Provider as MotionProvider } from '@rc-component/motion';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { I18nProvider, useI18n } from './i18n/i18n';
import { usePrefersReducedMotion } from './lib/use-reduced-motion';
import { AppLayout, PageSpinner } from './pages/AppLayout';
import { LoginPage } from './pages/LoginPage';
import { QueuePage } from './pages/QueuePage';

// The queue is where agents land, so it is in the first bundle; the rest loads on first visit.
const CasePage = lazy(() => import('./pages/CasePage'));
const IntakePage = lazy(() => import('./pages/IntakePage'));
const SupervisorPage = lazy(() => import('./pages/SupervisorPage'));
const ApprovalsPage = lazy(() => import('./pages/ApprovalsPage'));
const MacrosPage = lazy(() => import('./pages/MacrosPage'));
const AgentsPage = lazy(() => import('./pages/AgentsPage'));
const SlaPoliciesPage = lazy(() => import('./pages/SlaPoliciesPage'));
const CalendarsPage = lazy(() => import('./pages/CalendarsPage'));
const MerchantsPage = lazy(() => import('./pages/MerchantsPage'));
// Charts (recharts) load with the reports page only, outside the first bundle.
const ReportsPage = lazy(() => import('./pages/ReportsPage'));
const RefundPoliciesPage = lazy(() => import('./pages/RefundPoliciesPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request (4xx) will be refused again; only retry what may be transient.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

function Localised({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  const reducedMotion = usePrefersReducedMotion();
  // Motion is switched through rc-motion's provider, which is always there, and not through antd's
  // `motion` token: antd inserts its own provider the first time that token turns false, and a
  // provider appearing above the pages remounts them (a half-typed reply would be lost).
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }} wave={{ disabled: reducedMotion }}>
      <MotionProvider motion={!reducedMotion}>
        <AntApp>{children}</AntApp>
      </MotionProvider>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Localised>
          <BrowserRouter basename="/admin">
            <Suspense fallback={<PageSpinner />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route element={<AppLayout />}>
                  <Route index element={<QueuePage />} />
                  <Route path="cases/:id" element={<CasePage />} />
                  <Route path="intake" element={<IntakePage />} />
                  <Route path="supervisor" element={<SupervisorPage />} />
                  <Route path="approvals" element={<ApprovalsPage />} />
                  <Route path="macros" element={<MacrosPage />} />
                  <Route path="agents" element={<AgentsPage />} />
                  <Route path="sla-policies" element={<SlaPoliciesPage />} />
                  <Route path="calendars" element={<CalendarsPage />} />
                  <Route path="merchants" element={<MerchantsPage />} />
                  <Route path="reports" element={<ReportsPage />} />
                  <Route path="refund-policies" element={<RefundPoliciesPage />} />
                  <Route path="*" element={<Navigate to="/" replace />} />
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </Localised>
      </I18nProvider>
    </QueryClientProvider>
  );
}
