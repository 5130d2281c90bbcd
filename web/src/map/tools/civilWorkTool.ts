// Announcing a civil work (thông báo công trình đào đường) for dig-once: ward
// staff draw the road, power, water or lighting works, give the dates, the
// owner and a contact, and the no-dig period after resurfacing. The server
// matches the work against operators' planned routes and overhead cable and
// notifies them; the answer names those operators, shown here.

import { ApiError } from '../../api/client';
import { CIVIL_WORK_SECTORS, undergroundingApi, type CivilWork, type CivilWorkCreated, type CivilWorkInput } from '../../api/undergrounding';
import { sectorName } from '../../domain/undergrounding';
import { t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { simpleForm } from '../../ui/form';
import { describeError, toast } from '../../ui/messages';
import { overlaysOf } from '../overlays';
import { toolHeading, type RunningTool, type ToolHost } from './index';
import { Sketch, type SketchShape } from './sketch';
import { problemText } from '../../i18n/problems';

export function civilWorkTool(host: ToolHost, params: URLSearchParams = new URLSearchParams()): RunningTool {
  const { app } = host;
  const { view, reference } = app;
  const overlays = overlaysOf(app);
  let shape: SketchShape = 'linestring';
  /** The work being changed (`/?tool=civil-work&work=ID`), once loaded. */
  let editing: CivilWork | null = null;
  const sketch = new Sketch(view, () => renderForm());
  const section = h('section', { class: 'panel-section tool', 'data-testid': 'civil-work-tool' });
  replace(host.panel, section);

  const fields = (work: CivilWork | null) => [
      { name: 'title', label: t('ug.work.title'), control: { type: 'text' as const, maxLength: 300 }, required: true, initial: work?.title },
      { name: 'sector', label: t('ug.work.sector'), control: { type: 'select' as const, options: CIVIL_WORK_SECTORS.map((s): [string, string] => [s, sectorName(s)]) }, required: true, initial: work?.sector ?? 'road' },
      { name: 'owner_org', label: t('ug.work.owner'), control: { type: 'text' as const }, required: true, initial: work?.owner_org },
      { name: 'contact', label: t('ug.work.contact'), control: { type: 'text' as const }, initial: work?.contact },
      { name: 'starts_on', label: t('ug.work.startsOn'), control: { type: 'date' as const }, required: true, initial: work?.starts_on },
      { name: 'ends_on', label: t('ug.work.endsOn'), control: { type: 'date' as const }, required: true, initial: work?.ends_on },
      { name: 'no_dig_until', label: t('ug.work.noDigUntil'), control: { type: 'date' as const }, hint: t('ug.work.noDigHint'), initial: work?.no_dig_until },
      { name: 'source_doc', label: t('ug.work.sourceDoc'), control: { type: 'text' as const }, initial: work?.source_doc },
  ];
  let form = simpleForm(fields(null), { idPrefix: 'work' });
  const notice = h('div', {});

  const choose = (next: SketchShape) => {
    shape = next;
    sketch.start(shape);
    renderForm();
  };

  function renderForm(): void {
    const drawn = sketch.hasShape();
    const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'work-save' }, editing ? t('edit.save') : t('ug.work.announce'));
    replace(
      section,
      toolHeading(editing ? t('ug.work.editTitle', { title: editing.title }) : t('ug.tool.civilWork'), host),
      h('p', { class: 'panel-lead' }, editing ? t('ug.work.editLead') : t('ug.work.lead')),
      h(
        'div',
        { class: 'segmented', role: 'radiogroup', 'aria-label': t('ug.draw.shape'), hidden: editing !== null },
        (
          [
            ['linestring', t('ug.draw.line')],
            ['polygon', t('ug.draw.polygon')],
          ] as [SketchShape, string][]
        ).map(([value, label]) =>
          h('button', { type: 'button', role: 'radio', 'aria-checked': String(shape === value), class: shape === value ? 'active' : '', 'data-testid': `work-draw-${value}`, onclick: () => choose(value) }, label),
        ),
      ),
      h('p', { class: `draw-hint ${drawn ? '' : 'draw-hint-waiting'}`, 'data-testid': 'draw-hint' }, drawn ? t('ug.draw.adjust') : shape === 'linestring' ? t('ug.draw.lineHint') : t('ug.draw.polygonHint')),
      notice,
      h(
        'form',
        {
          class: 'edit-form',
          novalidate: true,
          onsubmit: (event: Event) => {
            event.preventDefault();
            void submit(save);
          },
        },
        form.element,
        h(
          'div',
          { class: 'form-actions' },
          save,
          h('button', { type: 'button', class: 'button', onclick: () => host.close() }, t('edit.cancel')),
          drawn ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'work-redraw', onclick: () => choose(shape) }, t('edit.redraw')) : null,
        ),
      ),
    );
  }

  async function submit(button: HTMLButtonElement): Promise<void> {
    form.clearProblems();
    replace(notice);
    const geometry = sketch.geometry();
    const { values, problems } = form.read();
    if (!geometry) {
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('ug.draw.needShape')));
      return;
    }
    if (problems.length > 0) {
      form.showProblems(problems);
      return;
    }
    button.disabled = true;
    try {
      const input = { ...values, geometry } as unknown as CivilWorkInput;
      let created: CivilWorkCreated;
      if (editing) {
        // Only what changed, as a merge patch of the version that was read.
        const before = editing as unknown as Record<string, unknown>;
        const patch: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(input)) {
          if (JSON.stringify(value ?? null) !== JSON.stringify(before[name] ?? null)) patch[name] = value;
        }
        created = await undergroundingApi.updateCivilWork(editing.id, patch as Partial<CivilWorkInput>, editing.version);
        toast(t('ug.work.saved'), 'success');
      } else {
        created = await undergroundingApi.announceCivilWork(input);
        toast(t('ug.work.announced'), 'success');
      }
      sketch.stop();
      overlays.refresh('ug-works');
      if (!overlays.isVisible('ug-works')) overlays.setVisible('ug-works', true);
      showResult(created, String(values.title ?? ''));
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.code === 'validation_failed') {
        form.showProblems(error.details);
        if (error.details.some((d) => d.field === 'geometry')) view.showProblem(geometry, t('edit.geometryProblem', { problem: problemText(error.details.find((d) => d.field === 'geometry') ?? '') }));
        replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('edit.invalid')));
      } else {
        replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
      }
    }
  }

  function showResult(created: CivilWorkCreated, title: string): void {
    replace(
      section,
      toolHeading(t('ug.tool.civilWork'), host),
      h('div', { class: 'notice notice-success', role: 'status' }, t('ug.work.announcedDetail', { title })),
      h('h3', { class: 'panel-subtitle' }, t('ug.work.matched')),
      created.matched_operators.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'matched-none' }, t('ug.work.matchedNone'))
        : h(
            'ul',
            { class: 'matched-operators', 'data-testid': 'matched-operators' },
            created.matched_operators.map((code) =>
              h('li', { 'data-operator': code }, h('span', { class: 'swatch', style: `background:${reference.operatorColour(code)}` }), reference.operatorLabel(code)),
            ),
          ),
      h('p', { class: 'note' }, t('ug.work.matchedNote')),
      h(
        'div',
        { class: 'form-actions' },
        h('a', { href: `/ngam-hoa/cong-trinh/${created.id}`, class: 'button button-primary', 'data-testid': 'work-open' }, t('ug.work.open')),
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            onclick: () => {
              sketch.start(shape);
              renderForm();
            },
          },
          t('ug.work.another'),
        ),
      ),
    );
  }

  const workId = Number(params.get('work'));
  if (Number.isInteger(workId) && workId > 0) {
    replace(section, toolHeading(t('ug.tool.civilWork'), host), h('p', { class: 'loading' }, t('app.loading')));
    void undergroundingApi.civilWork(workId).then(
      (work) => {
        editing = work;
        form = simpleForm(fields(work), { idPrefix: 'work' });
        shape = work.geometry.type === 'Polygon' || work.geometry.type === 'MultiPolygon' ? 'polygon' : 'linestring';
        sketch.start(shape, work.geometry);
        view.zoomTo(work.geometry, 17);
        renderForm();
      },
      (error: unknown) => replace(section, toolHeading(t('ug.tool.civilWork'), host), h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error))),
    );
  } else {
    sketch.start(shape);
    renderForm();
  }

  return {
    dispose() {
      sketch.stop();
      view.showProblem(null, null);
    },
  };
}
