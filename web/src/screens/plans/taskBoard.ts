// The task board of a plan: every task of its annex with who leads, by
// when, its status and evidence, overdue ones first and marked. Ward staff
// (admins, reviewers and planners; the server checks their scope) change the
// status and evidence; anyone signed in reads the progress notes, and
// operators add notes to the tasks the operators lead.

import { plansApi, TASK_STATUSES, type Plan, type Task } from '../../api/plans';
import { currentSession } from '../../domain/session';
import { formatDate, formatDateTime, formatNumber, t, type MessageKey } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { describeError, toast } from '../../ui/messages';
import { dataTable } from '../../ui/table';

/** What a task's row shows, cell by cell. */
interface TaskParts {
  task: HTMLElement;
  lead: HTMLElement;
  due: HTMLElement;
  status: HTMLElement;
  evidence: HTMLElement;
}

function mayUpdate(): boolean {
  const role = currentSession().user?.role;
  return role === 'admin' || role === 'reviewer' || role === 'planner';
}

function mayNote(task: Task): boolean {
  const role = currentSession().user?.role;
  return mayUpdate() || (role === 'operator_member' && task.operators_lead);
}

export async function taskBoard(plan: Plan, onlyOverdue: boolean): Promise<HTMLElement> {
  let tasks = await plansApi.tasks(plan.id);
  const body = h('div', { class: 'task-table' });
  const filter = h('input', { type: 'checkbox', 'data-testid': 'tasks-only-overdue', checked: onlyOverdue, onchange: () => draw() });
  const count = h('span', { class: 'muted small', 'data-testid': 'tasks-overdue-count' });
  const draw = () => {
    const only = filter.checked;
    const shown = [...tasks].filter((task) => !only || task.overdue).sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.position - b.position);
    count.textContent = `${t('plan.tasks.overdue')}: ${formatNumber(tasks.filter((task) => task.overdue).length)}`;
    // Each task's controls, made once per drawing and shared by its cells (saving reads the status and the evidence).
    const parts = new Map(shown.map((task) => [task.id, row(task)]));
    const of = (task: Task): TaskParts => parts.get(task.id) as TaskParts;
    replace(
      body,
      dataTable<Task>({
        testId: 'tasks-table',
        empty: only ? t('plan.tasks.noneOverdue') : t('plan.tasks.none'),
        rows: shown,
        rowAttributes: (task) => ({ 'data-testid': 'task-row', 'data-task': task.id, 'data-overdue': task.overdue ? 'true' : 'false', class: task.overdue ? 'task-overdue' : null }),
        columns: [
          { key: 'code', label: t('plan.tasks.code'), nowrap: true, cell: (task) => task.code ?? '' },
          { key: 'task', label: t('plan.tasks.task'), phone: 'title', cell: (task) => of(task).task },
          { key: 'lead', label: t('plan.tasks.lead'), cell: (task) => of(task).lead },
          { key: 'due', label: t('plan.tasks.due'), cell: (task) => of(task).due },
          { key: 'status', label: t('plan.tasks.status'), cell: (task) => of(task).status },
          { key: 'evidence', label: t('plan.tasks.evidence'), cell: (task) => of(task).evidence },
        ],
      }).element,
    );
  };

  const row = (task: Task): TaskParts => {
    const status = h(
      'select',
      { 'data-testid': 'task-status', disabled: !mayUpdate(), 'aria-label': t('plan.tasks.status') },
      TASK_STATUSES.map((s) => h('option', { value: s, selected: s === task.status }, t(`plan.status.${s}` as MessageKey))),
    );
    const evidence = h('input', { type: 'text', 'data-testid': 'task-evidence', value: task.evidence ?? '', placeholder: t('plan.tasks.evidencePlaceholder'), disabled: !mayUpdate(), 'aria-label': t('plan.tasks.evidence') });
    const save = h(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        'data-testid': 'task-save',
        onclick: async () => {
          save.setAttribute('disabled', '');
          try {
            const updated = await plansApi.updateTask(plan.id, task.id, { status: status.value, evidence: evidence.value.trim() || null, version: task.version });
            tasks = tasks.map((x) => (x.id === updated.id ? updated : x));
            toast(t('plan.tasks.saved'), 'success');
            draw();
          } catch (error) {
            toast(describeError(error), 'error');
            save.removeAttribute('disabled');
          }
        },
      },
      t('plan.tasks.save'),
    );
    const notes = h('details', { class: 'task-notes', 'data-testid': 'task-notes' }, h('summary', {}, `${t('plan.tasks.notes')} (${formatNumber(task.notes)})`));
    notes.addEventListener('toggle', async () => {
      if (!notes.open || notes.dataset.loaded) return;
      notes.dataset.loaded = 'true';
      try {
        const list = await plansApi.notes(plan.id, task.id);
        notes.append(
          h(
            'ol',
            { class: 'note-list' },
            list.map((n) => h('li', {}, h('span', { class: 'small muted' }, `${formatDateTime(n.created_at)} · ${n.author_name ?? n.author}`), h('p', {}, n.note), n.evidence ? h('p', { class: 'small' }, `${t('plan.tasks.evidence')}: ${n.evidence}`) : null)),
          ),
        );
      } catch (error) {
        notes.append(h('p', { class: 'notice notice-error' }, describeError(error)));
      }
      if (mayNote(task)) {
        const text = h('textarea', { rows: 2, 'data-testid': 'task-note-text', placeholder: t('plan.tasks.notePlaceholder') });
        notes.append(
          h(
            'form',
            {
              class: 'form-inline',
              onsubmit: async (event: Event) => {
                event.preventDefault();
                if (!text.value.trim()) return;
                try {
                  await plansApi.addNote(plan.id, task.id, text.value.trim(), null);
                  tasks = await plansApi.tasks(plan.id);
                  draw();
                } catch (error) {
                  toast(describeError(error), 'error');
                }
              },
            },
            text,
            h('button', { type: 'submit', class: 'button button-small', 'data-testid': 'task-note-add' }, t('plan.tasks.addNote')),
          ),
        );
      }
    });
    const due = task.due ? formatDate(task.due) : t('common.empty');
    return {
      task: h('div', {}, h('p', { class: 'task-title' }, task.title), task.last_note ? h('p', { class: 'small muted' }, task.last_note) : null, notes),
      lead: h('div', {}, h('p', {}, task.lead), task.partners ? h('p', { class: 'small muted' }, `${t('plan.tasks.partners')}: ${task.partners}`) : null, task.operators_lead ? h('span', { class: 'badge' }, t('plan.tasks.operatorsLead')) : null),
      due: h('div', {}, h('p', {}, task.due_text ?? ''), h('p', { class: 'small' }, task.yearly ? `${due} (${t('plan.tasks.yearly')})` : due), task.overdue ? h('span', { class: 'badge badge-overdue', 'data-testid': 'task-overdue' }, t('plan.tasks.overdue')) : null),
      status,
      evidence: h('div', { class: 'task-evidence' }, evidence, mayUpdate() ? save : null),
    };
  };

  draw();
  return h(
    'section',
    { class: 'card task-board', 'data-testid': 'task-board' },
    h('div', { class: 'task-board-head' }, h('label', { class: 'check' }, filter, t('plan.tasks.onlyOverdue')), count),
    mayUpdate() ? null : h('p', { class: 'note' }, t('plan.tasks.readOnly')),
    body,
  );
}
