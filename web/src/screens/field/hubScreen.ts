// The field section's start (`/hien-truong`, also the installed app's start
// page): big buttons for what a person does in the street, by role, and the
// outbox with what is still to send.

import { currentSession } from '../../domain/session';
import { t } from '../../i18n';
import { onOutboxChange, pending } from '../../offline/queue';
import type { Screen } from '../../router';
import { h } from '../../ui/dom';
import { offlineNotice, page } from './common';

export function hubScreen(): Screen {
  let unsubscribe: (() => void) | null = null;
  return {
    async render(root) {
      const user = currentSession().user;
      const staff = user?.role === 'reviewer' || user?.role === 'admin' || user?.role === 'planner';
      const count = h('span', { class: 'field-count', 'data-testid': 'outbox-count' });
      const update = async () => {
        const n = (await pending().catch(() => [])).length;
        count.textContent = n > 0 ? t('field.outboxCount', { count: n }) : '';
      };
      unsubscribe?.();
      unsubscribe = onOutboxChange(() => void update());
      const tile = (href: string, title: string, lead: string | null, testId: string, extra?: HTMLElement) =>
        h('a', { href, class: 'field-tile', 'data-testid': testId }, h('strong', {}, title), lead ? h('span', { class: 'muted small' }, lead) : null, extra ?? null);
      page(
        root,
        'field-hub',
        h('h1', {}, t('field.hubTitle')),
        h('p', { class: 'muted' }, t('field.hubLead')),
        offlineNotice(),
        h(
          'div',
          { class: 'field-tiles' },
          tile('/phan-anh/moi', t('field.report'), t('field.reportLead'), 'hub-report'),
          user ? tile('/su-co', t('field.inbox'), null, 'hub-inbox') : null,
          staff ? tile('/kiem-tra', t('field.rounds'), null, 'hub-rounds') : null,
          user ? tile('/vi-pham', t('field.violations'), null, 'hub-violations') : null,
          staff ? tile('/phat-hien', t('field.detection'), null, 'hub-detection') : null,
          tile('/hang-doi', t('field.outbox'), null, 'hub-outbox', count),
          tile('/phan-anh', t('field.track'), null, 'hub-track'),
        ),
      );
      await update();
    },
    leave() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
