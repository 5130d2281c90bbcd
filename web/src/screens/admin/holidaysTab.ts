// The holiday calendar that permit deadlines are counted in: public holidays
// (Tết alone takes a week) and the Saturdays worked in exchange for a bridge
// day. The government announces them each year; an admin enters the year
// and saves it whole.

import { adminApi, type Holiday } from '../../api/admin';
import { ApiError } from '../../api/client';
import type { App } from '../../app';
import { lang, t } from '../../i18n';
import { problemText } from '../../i18n/problems';
import { parseDate, showDate } from '../../ui/dateField';
import { h, loading, replace } from '../../ui/dom';
import { dataTable, type DataTable } from '../../ui/table';
import { describeError, errorBox, toast } from '../../ui/messages';

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function weekday(iso: string | null): string {
  if (!iso) return '';
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return (lang() === 'vi' ? WEEKDAYS_VI : WEEKDAYS_EN)[day] ?? '';
}

interface Row {
  cells: { day: [HTMLInputElement, HTMLElement]; dayName: HTMLElement; name: HTMLInputElement; kind: HTMLSelectElement; remove: HTMLButtonElement };
  read(): { holiday: Holiday | null; problem: string | null };
  setError(message: string | null): void;
}

export function holidaysTab(container: HTMLElement, _app: App, signal: AbortSignal): void {
  let year = new Date().getFullYear();
  let rows: Row[] = [];
  let dirty = false;
  const area = h('div');
  let table: DataTable<Row> | null = null;
  const general = h('div', { 'aria-live': 'polite' });
  const summary = h('span', { class: 'muted small', 'data-testid': 'holiday-summary' });
  const yearInput = h('input', { type: 'number', min: 2000, max: 2100, value: year, class: 'year-input', 'aria-label': t('holidays.year'), 'data-testid': 'holiday-year' });
  const save = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'holiday-save', onclick: () => void saveYear() }, t('holidays.save'));
  // On what authority the year's days stand: the notice or decision, and whether they are only worked out.
  const warningArea = h('div', { 'aria-live': 'polite' });
  const citation = h('input', { type: 'text', maxlength: 1000, class: 'grow', placeholder: t('holidays.citationPlaceholder'), 'data-testid': 'holiday-citation' }) as HTMLInputElement;
  const provisional = h('input', { type: 'checkbox', 'data-testid': 'holiday-provisional' }) as HTMLInputElement;
  const yearNote = h('p', { class: 'muted small', 'data-testid': 'holiday-note' });
  citation.addEventListener('input', () => markDirty());
  provisional.addEventListener('change', () => markDirty());
  const loadAuthority = async () => {
    try {
      const calendar = await adminApi.calendarYears();
      const entry = calendar.years.find((y) => y.year === year);
      citation.value = entry?.citation ?? '';
      provisional.checked = entry?.provisional ?? false;
      yearNote.textContent = entry?.note ?? '';
      const w = calendar.warning;
      replace(
        warningArea,
        w
          ? h(
              'div',
              { class: 'notice notice-warning', role: 'alert', 'data-testid': 'calendar-warning' },
              t(w.problem === 'missing' ? 'holidays.warnMissing' : 'holidays.warnProvisional', { year: String(w.year), days: w.days_left }),
              ' ',
              w.year !== year ? h('button', { type: 'button', class: 'link-button', onclick: () => void goTo(w.year) }, t('holidays.openYear', { year: String(w.year) })) : null,
            )
          : null,
      );
    } catch {
      // The days are what matters; the authority shows when it can be read.
    }
  };

  const markDirty = () => {
    dirty = true;
    save.classList.add('pulse-once');
    updateSummary();
  };

  const updateSummary = () => {
    const read = rows.map((r) => r.read().holiday).filter((x): x is Holiday => x !== null);
    replace(
      summary,
      t('holidays.summary', { off: read.filter((d) => d.day_off).length, worked: read.filter((d) => !d.day_off).length }),
      dirty ? ` · ${t('holidays.unsaved')}` : '',
    );
  };

  const makeRow = (holiday: Holiday | null): Row => {
    const day = h('input', {
      type: 'text',
      class: 'date-input',
      inputmode: 'numeric',
      placeholder: t('date.placeholder'),
      value: showDate(holiday?.day),
      'aria-label': t('holidays.day'),
      'data-testid': 'holiday-day',
    });
    const name = h('input', { type: 'text', value: holiday?.name ?? '', maxlength: 200, 'aria-label': t('holidays.name'), 'data-testid': 'holiday-name' });
    const kind = h(
      'select',
      { 'aria-label': t('holidays.kind'), 'data-testid': 'holiday-kind' },
      h('option', { value: 'off', selected: holiday?.day_off !== false }, t('holidays.dayOff')),
      h('option', { value: 'worked', selected: holiday?.day_off === false }, t('holidays.worked')),
    );
    const dayName = h('span', { class: 'muted small' }, weekday(holiday?.day ?? null));
    const error = h('div', { class: 'field-error', hidden: true });
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'button button-small',
        'aria-label': t('holidays.remove'),
        'data-testid': 'holiday-remove',
        onclick: () => {
          rows = rows.filter((r) => r !== row);
          table?.setRows(rows);
          markDirty();
        },
      },
      '×',
    );
    // The row's controls live with it: the table shows them, sorted or not, as they are.
    const row: Row = {
      cells: { day: [day, error], dayName, name, kind, remove },
      read() {
        const iso = parseDate(day.value);
        if (!iso) return { holiday: null, problem: iso === '' ? t('holidays.needDay') : t('date.invalid') };
        if (!iso.startsWith(`${year}-`)) return { holiday: null, problem: t('holidays.otherYear', { year: String(year) }) };
        if (!name.value.trim()) return { holiday: null, problem: t('holidays.needName') };
        const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
        if (kind.value === 'worked' && dow !== 0 && dow !== 6) return { holiday: null, problem: t('holidays.workedWeekday') };
        return { holiday: { day: iso, name: name.value.trim(), day_off: kind.value === 'off' }, problem: null };
      },
      setError(message) {
        error.hidden = message === null;
        error.textContent = message ?? '';
        day.closest('tr')?.classList.toggle('invalid-row', message !== null);
      },
    };
    day.addEventListener('change', () => {
      const iso = parseDate(day.value);
      if (iso) day.value = showDate(iso);
      replace(dayName, weekday(iso || null));
      markDirty();
    });
    for (const input of [name, kind]) input.addEventListener('change', markDirty);
    return row;
  };

  const renderRows = (holidays: Holiday[]) => {
    rows = holidays.map(makeRow);
    table = dataTable<Row>({
      testId: 'holidays-table',
      class: 'holidays-table',
      tableAttributes: { 'data-year': year },
      empty: t('holidays.none', { year: String(year) }),
      rows,
      columns: [
        { key: 'day', label: t('holidays.day'), cell: (r) => r.cells.day },
        { key: 'weekday', label: t('holidays.weekday'), nowrap: true, cell: (r) => r.cells.dayName },
        { key: 'name', label: t('holidays.name'), class: 'holiday-name', cell: (r) => r.cells.name },
        { key: 'kind', label: t('holidays.kind'), cell: (r) => r.cells.kind },
        { key: 'remove', label: '', phone: 'actions', cell: (r) => r.cells.remove },
      ],
    });
    replace(area, table.element);
    dirty = false;
    updateSummary();
  };

  const load = async () => {
    replace(area, loading(t('app.loading')));
    replace(general);
    try {
      renderRows(await adminApi.holidays(year, signal));
      await loadAuthority();
    } catch (error) {
      if (signal.aborted) return;
      replace(area, errorBox(error, () => void load()));
    }
  };

  const saveYear = async () => {
    replace(general);
    const read = rows.map((r) => ({ row: r, ...r.read() }));
    let ok = true;
    const seen = new Set<string>();
    for (const { row, holiday, problem } of read) {
      let message = problem;
      if (holiday && seen.has(holiday.day)) message = t('holidays.twice');
      if (holiday) seen.add(holiday.day);
      row.setError(message);
      if (message) ok = false;
    }
    if (!ok) {
      replace(general, h('div', { class: 'notice notice-error', role: 'alert' }, t('holidays.fix')));
      return;
    }
    const holidays = read.map((r) => r.holiday as Holiday).sort((a, b) => a.day.localeCompare(b.day));
    save.disabled = true;
    try {
      const cited = citation.value.trim();
      const saved = await adminApi.setHolidays(year, holidays, cited ? { citation: cited, provisional: provisional.checked, note: yearNote.textContent || null } : undefined);
      dirty = false;
      await loadAuthority();
      renderRows(saved);
      toast(t('holidays.saved', { year: String(year), count: saved.length }), 'success');
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        // Problems name the entry: `[3].day`.
        for (const detail of error.details) {
          const index = Number(detail.field.match(/^\[(\d+)\]/)?.[1]);
          const target = rows.find((r) => r.read().holiday?.day === holidays[index]?.day);
          target?.setError(problemText(detail));
        }
        replace(
          general,
          h(
            'div',
            { class: 'notice notice-error', role: 'alert' },
            error.details.map((d) => h('div', {}, problemText(d))),
          ),
        );
      } else {
        replace(general, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
      }
    } finally {
      save.disabled = false;
    }
  };

  const goTo = async (next: number) => {
    if (next === year) return;
    if (dirty && !window.confirm(t('holidays.discard'))) {
      yearInput.value = String(year);
      return;
    }
    year = next;
    yearInput.value = String(year);
    await load();
  };
  yearInput.addEventListener('change', () => {
    const value = Number(yearInput.value);
    if (Number.isInteger(value) && value >= 2000 && value <= 2100) void goTo(value);
  });

  replace(
    container,
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', {}, t('holidays.title')),
        h(
          'div',
          { class: 'year-picker' },
          h('button', { type: 'button', class: 'button button-small', 'aria-label': t('holidays.previous'), onclick: () => void goTo(year - 1) }, '‹'),
          yearInput,
          h('button', { type: 'button', class: 'button button-small', 'aria-label': t('holidays.next'), onclick: () => void goTo(year + 1) }, '›'),
        ),
        summary,
        h('div', { class: 'toolbar-spacer' }),
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-testid': 'holiday-add',
            onclick: () => {
              const row = makeRow(null);
              rows = [...rows, row];
              table?.setRows(rows);
              (row.cells.day[0] as HTMLInputElement).focus();
              markDirty();
            },
          },
          t('holidays.add'),
        ),
        save,
      ),
      h('p', { class: 'muted' }, t('holidays.lead')),
      warningArea,
      h(
        'div',
        { class: 'form-inline holiday-authority' },
        h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, t('holidays.citation')), citation),
        h('label', { class: 'check' }, provisional, t('holidays.provisional')),
      ),
      yearNote,
      general,
      area,
    ),
  );
  void load();
}
