// A progress bar with its figures written beside it (km built of the length).

import { formatNumber } from '../i18n';
import { h } from './dom';

export function progressBar(value: number, max: number, text: string): HTMLElement {
  const ratio = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  return h(
    'div',
    { class: 'progress', 'data-testid': 'progress' },
    h(
      'div',
      {
        class: 'progress-track',
        role: 'progressbar',
        'aria-valuemin': 0,
        'aria-valuemax': max,
        'aria-valuenow': value,
        'aria-valuetext': text,
        'data-ratio': ratio.toFixed(4),
      },
      h('div', { class: 'progress-fill', style: `width:${(ratio * 100).toFixed(1)}%` }),
    ),
    h('span', { class: 'progress-text' }, text, h('span', { class: 'progress-percent' }, ` · ${formatNumber(ratio * 100, 0)} %`)),
  );
}
