// The history check: every history entry's hash covers its content and the
// hash of the entry before it, so an edited or deleted entry breaks the
// chain there. The head hash (the newest entry's) is to be written down
// outside the database — in the yearly report, say — so that deleting the
// newest entries can be detected too.

import { adminApi, type ChainReport } from '../../api/admin';
import type { App } from '../../app';
import { formatDateTime, formatNumber, t } from '../../i18n';
import { asyncSection } from '../../ui/async';
import { h, replace } from '../../ui/dom';
import { oneTimeSecret } from '../../ui/secret';

export function chainTab(container: HTMLElement, _app: App, signal: AbortSignal): void {
  const run = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'chain-verify', onclick: () => void check() }, t('chain.verify'));
  const section = asyncSection({
    signal,
    testId: 'chain-result',
    loadingLabel: t('chain.checking'),
    load: async (signal) => ({ report: await adminApi.verifyHistory(signal), at: new Date() }),
    render: ({ report, at }) => show(report, at),
  });
  const result = section.element;

  const show = (report: ChainReport, at: Date): (Node | null)[] => {
    const checked = h('p', { class: 'muted small' }, t('chain.checkedAt', { at: formatDateTime(at), count: formatNumber(report.entries) }));
    if (report.intact) {
      return [
        h(
          'div',
          { class: 'notice notice-success', 'data-testid': 'chain-intact' },
          h('h3', {}, t('chain.intact')),
          h('p', {}, t('chain.intactLead', { count: formatNumber(report.entries) })),
        ),
        checked,
        report.head_hash
          ? h('div', { class: 'chain-head' }, oneTimeSecret({ label: t('chain.headHash'), value: report.head_hash, warning: t('chain.recordHead'), testId: 'chain-head' }))
          : h('p', { class: 'muted' }, t('chain.empty')),
      ];
    } else {
      const broken = report.first_broken;
      return [
        h(
          'div',
          { class: 'notice notice-error', role: 'alert', 'data-testid': 'chain-broken' },
          h('h3', {}, t('chain.broken')),
          broken
            ? h(
                'dl',
                { class: 'attributes' },
                h('dt', {}, t('chain.seq')),
                h('dd', {}, formatNumber(broken.chain_seq)),
                h('dt', {}, t('chain.entry')),
                h('dd', {}, `#${broken.history_id}`),
                h('dt', {}, t('chain.problem')),
                h('dd', {}, brokenProblem(broken.problem)),
              )
            : null,
          h('p', {}, t('chain.brokenLead')),
        ),
        checked,
        report.head_hash ? h('p', { class: 'small' }, t('chain.headHash'), ': ', h('code', { class: 'hash' }, report.head_hash)) : null,
      ];
    }
  };

  const check = async () => {
    run.disabled = true;
    try {
      await section.load();
    } finally {
      run.disabled = false;
    }
  };

  replace(
    container,
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'toolbar' }, h('h2', {}, t('chain.title')), h('div', { class: 'toolbar-spacer' }), run),
      h('p', { class: 'muted' }, t('chain.lead')),
      h('p', { class: 'muted small' }, t('chain.cli'), ' ', h('code', {}, 'hatang verify-history')),
      result,
    ),
  );
  void check();
}

function brokenProblem(problem: string): string {
  if (problem.includes('edited')) return t('chain.edited');
  if (problem.includes('does not link')) return t('chain.unlinked');
  if (problem.includes('deleted')) return t('chain.deleted');
  return problem;
}
