// The steps of an import, with the current one marked.

import { t } from '../../i18n';
import { h } from '../../ui/dom';

const STEPS = ['import.step.file', 'import.step.mapping', 'import.step.check', 'import.step.commit'] as const;

/** `current` is the step being done (0–3); 4 when all are done. */
export function stepper(current: number): HTMLElement {
  return h(
    'ol',
    { class: 'steps', 'aria-label': t('import.steps') },
    STEPS.map((key, i) =>
      h(
        'li',
        { class: i < current ? 'step done' : i === current ? 'step current' : 'step', 'aria-current': i === current ? 'step' : null },
        h('span', { class: 'step-number', 'aria-hidden': 'true' }, i < current ? '✓' : String(i + 1)),
        t(key),
      ),
    ),
  );
}
