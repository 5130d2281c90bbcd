// The yearly report editor: Hạ tầng drafts the report of a unit's plan for a
// year (targets, registry figures, tasks, parts sent in); the official writes
// the difficulties and proposals, saves, finalises (a frozen, hashed
// version) and downloads the DOCX, PDF, XLSX annex or print view.
//
// Addresses: `/bao-cao-nam` (choose unit and year), `/bao-cao-nam/{id}`.

import { reportsApi, type ReportTarget, type ReportView } from '../../api/reports';
import type { App } from '../../app';
import { formatDate, formatDateTime, formatNumber, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { confirmDialog } from '../../ui/dialog';
import { h, loading, replace } from '../../ui/dom';
import { pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import { describeError, errorBox, toast } from '../../ui/messages';
import { requireUser } from '../access';

/** A target's standing in words (the plans' words: met, on track, at risk, behind, no figure). */
function statusName(status: string): string {
  return ['met', 'on_track', 'at_risk', 'behind', 'no_data'].includes(status) ? t(`plan.summary.${status}` as MessageKey) : status;
}

function figure(value: number | null, unit: string): string {
  if (value === null) return t('report.noData');
  return unit === '%' || unit === '' ? `${formatNumber(value, 1)}${unit}` : `${formatNumber(value, 1)} ${unit}`;
}

export function reportStartScreen(app: App, query: URLSearchParams): Screen {
  return {
    render(root) {
      if (!requireUser(root)) return;
      root.className = 'screen screen-page';
      const units = app.reference.wards;
      const unitSelect = h(
        'select',
        { id: 'report-unit', 'data-testid': 'report-unit' },
        ...units.map((w) => h('option', { value: String(w.id), selected: query.get('unit') === String(w.id) || undefined }, `${w.properties.unit_type} ${w.properties.name}`)),
      );
      const yearInput = h('input', { id: 'report-year', type: 'number', min: '2000', max: '2100', value: query.get('year') ?? String(new Date().getFullYear()), 'data-testid': 'report-year' });
      const problem = h('div', { class: 'form-problem', role: 'alert' });
      const open = async () => {
        problem.textContent = '';
        try {
          const answer = await reportsApi.open(Number(unitSelect.value), Number(yearInput.value));
          app.go(`/bao-cao-nam/${answer.data.id}`);
        } catch (error) {
          problem.textContent = describeError(error);
        }
      };
      const shell = pageShell({ eyebrow: t('report.eyebrow'), title: t('report.startTitle'), lead: t('report.startLead'), width: 'narrow', testId: 'report-start' });
      replace(
        shell.body,
        h(
          'form',
          {
            class: 'card report-start-form',
            onsubmit: (event: Event) => {
              event.preventDefault();
              void open();
            },
          },
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('report.unit')), unitSelect),
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('report.year')), yearInput),
          problem,
          h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'report-open' }, t('report.open'))),
        ),
      );
      replace(root, shell.element);
    },
  };
}

export function reportScreen(_app: App, id: number): Screen {
  let root: HTMLElement;
  const draw = (report: ReportView) => {
    const f = report.facts;
    const difficulties = h('textarea', { id: 'report-difficulties', rows: 6, 'data-testid': 'report-difficulties' }, report.difficulties);
    const proposals = h('textarea', { id: 'report-proposals', rows: 6, 'data-testid': 'report-proposals' }, report.proposals);
    const number = h('input', { id: 'report-number', value: report.number ?? '', placeholder: '125/BC-UBND', 'data-testid': 'report-number' });
    const problem = h('div', { class: 'form-problem', role: 'alert', 'data-testid': 'report-problem' });
    const save = async (): Promise<ReportView | null> => {
      problem.textContent = '';
      try {
        const answer = await reportsApi.save(report.id, report.version, {
          difficulties: difficulties.value,
          proposals: proposals.value,
          number: number.value.trim() === '' ? null : number.value.trim(),
        });
        toast(t('report.saved'), 'success');
        return answer.data;
      } catch (error) {
        problem.textContent = describeError(error);
        return null;
      }
    };
    const finalise = async () => {
      let current: ReportView | null = report;
      const dirty = difficulties.value !== report.difficulties || proposals.value !== report.proposals || (number.value.trim() || null) !== report.number;
      if (dirty) current = await save();
      if (!current) return;
      const ok = await confirmDialog({ title: t('report.finaliseTitle'), message: t('report.finaliseMessage'), confirm: t('report.finalise') });
      if (!ok) {
        draw(current);
        return;
      }
      try {
        const answer = await reportsApi.finalise(current.id);
        toast(t('report.finalised', { version: String(answer.data.finalised_version ?? '') }), 'success');
        draw(answer.data);
      } catch (error) {
        problem.textContent = describeError(error);
      }
    };
    const done = f.tasks.filter((task) => task.status === 'done').length;
    const late = f.tasks.filter((task) => task.status !== 'done' && task.overdue).length;
    const state = report.state === 'finalised' ? t('report.state.finalised', { version: String(report.finalised_version ?? '') }) : t('report.state.draft');
    const shell = pageShell({
      eyebrow: t('report.eyebrow'),
      title: t('report.yearTitle', { year: String(report.year), unit: report.unit_name }),
      lead: [h('span', { 'data-testid': 'report-state' }, state), f.due && f.recipient ? ` · ${t('report.due', { date: formatDate(f.due), recipient: f.recipient })}` : null],
      actions: [
        h('a', { class: 'button', href: reportsApi.file(report.id, 'docx'), 'data-testid': 'report-docx', title: t('report.download') }, t('report.docx')),
        h('a', { class: 'button', href: reportsApi.file(report.id, 'pdf'), target: '_blank', rel: 'noopener', 'data-testid': 'report-pdf', title: t('report.download') }, t('report.pdf')),
        h('a', { class: 'button', href: reportsApi.file(report.id, 'xlsx'), 'data-testid': 'report-xlsx', title: t('report.download') }, t('report.xlsx')),
        h('a', { class: 'button', href: reportsApi.file(report.id, 'html'), target: '_blank', rel: 'noopener', 'data-testid': 'report-print' }, t('report.print')),
      ],
      width: 'wide',
      class: 'report-page',
      testId: 'report-page',
    });
    const targets = dataTable<ReportTarget>({
      testId: 'report-targets',
      empty: t('report.noData'),
      rows: f.targets,
      rowAttributes: (target) => ({ 'data-indicator': target.indicator }),
      columns: [
        { key: 'target', label: t('report.col.target'), phone: 'title', cell: (target) => `${target.name} (${target.target_year})` },
        { key: 'goal', label: t('report.col.goal'), nowrap: true, cell: (target) => `${target.comparison === 'at_most' ? '≤' : '≥'} ${figure(target.target_value, target.unit)}` },
        { key: 'value', label: t('report.col.value'), numeric: true, cell: (target) => figure(target.value, target.unit) },
        { key: 'status', label: t('report.col.status'), cell: (target) => h('span', { class: `light light-${target.light}`, 'data-status': target.status }, statusName(target.status)) },
        { key: 'source', label: t('report.col.source'), cell: (target) => (target.as_of ? `${target.source} (${formatDate(target.as_of)})` : target.source) },
      ],
    });
    replace(
      shell.body,
      h('h2', {}, t('report.targets')),
      targets.element,
      h('h2', {}, t('report.figures')),
      h('ul', {}, ...f.figures.map((fig) => h('li', {}, `${fig.group}: ${fig.name} — ${figure(fig.value, fig.unit)}`))),
      h('p', { 'data-testid': 'report-tasks' }, t('report.tasks', { done: String(done), late: String(late), ongoing: String(f.tasks.length - done - late) })),
      h('h2', {}, t('report.parts')),
      f.parts.length === 0
        ? h('p', {}, t('report.noParts'))
        : h('ul', {}, ...f.parts.map((part) => h('li', {}, h('b', {}, part.contributor), ` (${part.submitted_on ? t('report.partSent', { date: formatDate(part.submitted_on) }) : t('report.partDraft')}): ${part.text}`))),
      h('label', { class: 'field' }, h('h2', {}, t('report.difficulties')), difficulties),
      h('label', { class: 'field' }, h('h2', {}, t('report.proposals')), proposals),
      h('label', { class: 'field report-number' }, h('span', { class: 'field-label' }, t('report.number')), number),
      problem,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'report-save', onclick: async () => { const saved = await save(); if (saved) draw(saved); } }, t('report.save')),
        h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'report-finalise', onclick: () => void finalise() }, t('report.finalise')),
      ),
      report.versions.length > 0
        ? h(
            'section',
            { 'data-testid': 'report-versions' },
            h('h2', {}, t('report.versions')),
            h('ul', {}, ...report.versions.map((v) => h('li', {}, t('report.version', { version: String(v.version), date: formatDateTime(v.finalised_at), by: v.finalised_by, sha: v.sha256.slice(0, 16) })))),
          )
        : null,
    );
    replace(root, shell.element);
  };
  return {
    async render(element, signal) {
      root = element;
      if (!requireUser(root)) return;
      root.className = 'screen screen-page';
      replace(root, loading(t('app.loading')));
      try {
        draw((await reportsApi.get(id)).data);
      } catch (error) {
        replace(root, errorBox(error, () => void this.render(element, signal)));
      }
    },
  };
}
