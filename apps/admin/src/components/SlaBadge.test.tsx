import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { durationParts, slaLevel } from '../lib/sla';
import { SlaBadge } from './SlaBadge';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const HOUR = 3600_000;

describe('SLA countdown badge', () => {
  it('is green with the time left while the deadline is far', () => {
    renderWithProviders(<SlaBadge dueAt={at(2 * 24 * HOUR + 3 * HOUR)} since={at(-HOUR)} now={NOW} />);
    const badge = screen.getByTestId('sla-badge');
    expect(badge.dataset.sla).toBe('ok');
    expect(badge.textContent).toBe('2d 3h left');
  });

  it('turns amber under 4 hours left', () => {
    renderWithProviders(<SlaBadge dueAt={at(3 * HOUR + 59 * 60_000)} now={NOW} />);
    expect(screen.getByTestId('sla-badge').dataset.sla).toBe('warning');
    expect(screen.getByTestId('sla-badge').textContent).toBe('3h 59m left');
  });

  it('turns amber under a quarter of the window even with more than 4 hours left', () => {
    // A 7-day window with 1.5 days left: 21% left.
    renderWithProviders(<SlaBadge dueAt={at(36 * HOUR)} since={at(-132 * HOUR)} now={NOW} />);
    expect(screen.getByTestId('sla-badge').dataset.sla).toBe('warning');
  });

  it('turns red once the deadline has passed and says by how much', () => {
    renderWithProviders(<SlaBadge dueAt={at(-(HOUR + 5 * 60_000))} now={NOW} />);
    const badge = screen.getByTestId('sla-badge');
    expect(badge.dataset.sla).toBe('overdue');
    expect(badge.textContent).toBe('Overdue 1h 5m');
  });

  it('is grey without a deadline, and speaks Chinese', () => {
    renderWithProviders(
      <>
        <SlaBadge dueAt={null} now={NOW} />
        <SlaBadge dueAt={at(90 * 60_000)} now={NOW} />
      </>,
      'zh-CN',
    );
    const [none, soon] = screen.getAllByTestId('sla-badge');
    expect(none!.dataset.sla).toBe('none');
    expect(none!.textContent).toBe('无时限');
    expect(soon!.textContent).toBe('剩余 1小时30分');
  });

  it('draws the boundaries exactly: 4 h is green, a millisecond less is amber, the due instant is red', () => {
    expect(slaLevel(at(4 * HOUR), NOW)).toBe('ok');
    expect(slaLevel(at(4 * HOUR - 1), NOW)).toBe('warning');
    expect(slaLevel(at(0), NOW)).toBe('overdue');
    expect(slaLevel(null, NOW)).toBe('none');
    expect(durationParts(45_000)).toEqual([['s', 45]]);
    expect(durationParts(2 * 24 * HOUR + 5 * 60_000)).toEqual([['d', 2]]);
  });
});
