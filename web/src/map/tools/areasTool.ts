// Planning undergrounding (for planners in scope and admins): the streets and
// zones of the city's plan, each with its target year and source document —
// listed, drawn (a street's centre line or a zone's polygon), changed and
// removed — and undergrounding projects registered on one of them (or on a
// route drawn for the purpose) with the operators involved, dates, duct
// design and budget source.

import { ApiError } from '../../api/client';
import { undergroundingApi, type AreaFeature, type AreaInput, type ProjectInput, type SegmentFeature } from '../../api/undergrounding';
import type { GeoJsonGeometry } from '../../api/types';
import { formatNumber, t } from '../../i18n';
import { h, loading, replace } from '../../ui/dom';
import { simpleForm, type SimpleForm } from '../../ui/form';
import { streetPicker } from '../../ui/streetPicker';
import { describeError, errorBox, toast } from '../../ui/messages';
import { overlaysOf } from '../overlays';
import { toolHeading, type RunningTool, type ToolHost } from './index';
import { Sketch, type SketchShape } from './sketch';
import { problemText } from '../../i18n/problems';

export function areasTool(host: ToolHost, params: URLSearchParams): RunningTool {
  const { app } = host;
  const { view, reference } = app;
  const overlays = overlaysOf(app);
  const section = h('section', { class: 'panel-section tool', 'data-testid': 'areas-tool' });
  replace(host.panel, section);
  let areas: AreaFeature[] = [];
  let onSketchChange: () => void = () => undefined;
  const sketch = new Sketch(view, () => onSketchChange());
  let disposed = false;

  const telecom = reference.operators.filter((o) => o.sector === 'telecom');

  const errorNotice = (error: unknown): HTMLElement => h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error));

  // ---- the list -----------------------------------------------------------

  async function showList(message?: HTMLElement): Promise<void> {
    sketch.stop();
    view.editing = true; // clicks stay with the tool while it is open
    view.highlight(null);
    onSketchChange = () => undefined;
    replace(section, toolHeading(t('ug.tool.areas'), host), loading(t('app.loading')));
    try {
      areas = (await undergroundingApi.areas()).features;
    } catch (error) {
      replace(section, toolHeading(t('ug.tool.areas'), host), errorBox(error, () => void showList()));
      return;
    }
    if (disposed) return;
    replace(
      section,
      toolHeading(t('ug.tool.areas'), host),
      message ?? null,
      h('p', { class: 'panel-lead' }, t('ug.areas.lead')),
      h(
        'div',
        { class: 'tool-actions' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'area-new-street', onclick: () => editArea(null, 'linestring') }, `+ ${t('ug.areas.newStreet')}`),
        h('button', { type: 'button', class: 'button', 'data-testid': 'area-new-zone', onclick: () => editArea(null, 'polygon') }, `+ ${t('ug.areas.newZone')}`),
        h('button', { type: 'button', class: 'button', 'data-testid': 'project-new-route', onclick: () => projectForm(null) }, `+ ${t('ug.areas.newRouteProject')}`),
      ),
      areas.length === 0
        ? h('p', { class: 'empty' }, t('ug.areas.none'))
        : h('ul', { class: 'area-list', 'data-testid': 'area-list' }, areas.map(areaRow)),
    );
  }

  function areaRow(area: AreaFeature): HTMLElement {
    const p = area.properties;
    const confirm = h(
      'div',
      { class: 'notice notice-warning area-confirm', hidden: true },
      h('p', {}, t('ug.areas.removeConfirm', { name: p.name })),
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button button-danger',
            'data-testid': 'area-remove-confirm',
            onclick: async () => {
              try {
                await undergroundingApi.removeArea(area.id);
                overlays.refresh('ug-flags');
                toast(t('ug.areas.removed', { name: p.name }), 'success');
                void showList();
              } catch (error) {
                const text = error instanceof ApiError && error.status === 409 ? t('ug.areas.inUse') : describeError(error);
                replace(confirm, h('p', { role: 'alert' }, text), h('button', { type: 'button', class: 'button', onclick: () => (confirm.hidden = true) }, t('common.close')));
              }
            },
          },
          t('ug.areas.remove'),
        ),
        h('button', { type: 'button', class: 'button', onclick: () => (confirm.hidden = true) }, t('edit.cancel')),
      ),
    );
    return h(
      'li',
      { class: 'area-row', 'data-testid': 'area-row', 'data-area-id': area.id },
      h(
        'button',
        {
          type: 'button',
          class: 'area-name',
          onclick: () => {
            view.highlight(area.geometry);
            view.zoomTo(area.geometry, 17);
          },
        },
        p.name,
      ),
      h(
        'div',
        { class: 'area-facts small muted' },
        h('span', { class: 'badge' }, p.area_type === 'zone' ? t('ug.areas.zone') : t('ug.areas.street')),
        ` ${t('ug.areas.target', { year: String(p.target_year) })}`,
        p.ward_name ? ` · ${p.ward_name}` : '',
      ),
      h(
        'div',
        { class: 'area-actions' },
        h('button', { type: 'button', class: 'link-button', 'data-testid': 'area-edit', onclick: () => editArea(area, p.area_type === 'zone' ? 'polygon' : 'linestring') }, t('ug.areas.edit')),
        h('button', { type: 'button', class: 'link-button', 'data-testid': 'area-project', onclick: () => projectForm(area) }, t('ug.areas.registerProject')),
        h('button', { type: 'button', class: 'link-button danger', 'data-testid': 'area-remove', onclick: () => (confirm.hidden = false) }, t('ug.areas.remove')),
      ),
      confirm,
    );
  }

  // ---- drawing and the area form ------------------------------------------

  function editArea(area: AreaFeature | null, shape: SketchShape): void {
    const p = area?.properties;
    const isStreet = shape === 'linestring';
    const form = simpleForm(
      [
        { name: 'name', label: t('ug.areas.name'), control: { type: 'text', maxLength: 300 }, required: true, initial: p?.name },
        { name: 'target_year', label: t('ug.areas.targetYear'), control: { type: 'number', integer: true, min: 2000, max: 2100 }, required: true, initial: p?.target_year ?? new Date().getFullYear() + 1 },
        { name: 'source_doc', label: t('ug.areas.sourceDoc'), control: { type: 'text', multiline: true }, required: true, initial: p?.source_doc, hint: t('ug.areas.sourceDocHint') },
        ...(isStreet ? [{ name: 'corridor_m', label: t('ug.areas.corridor'), control: { type: 'number' as const, min: 1, max: 100 }, initial: p?.corridor_m ?? 15, hint: t('ug.areas.corridorHint') }] : []),
      ],
      { idPrefix: 'area' },
    );
    const notice = h('div', {});
    // A new undergrounding street can take a street of the registry: its line and its name.
    const streets =
      isStreet && !area
        ? streetPicker({
            id: 'area-street',
            pickOnMap: (onPick) => {
              const resume = sketch.pause();
              const stop = view.pick(['streets', 'streets-casing'], (feature) => onPick(Number(feature.id)));
              return () => {
                stop();
                resume();
              };
            },
            onChoose: (street) => {
              sketch.start('linestring', street.geometry);
              const name = form.element.querySelector<HTMLInputElement>('#area-name');
              if (name && !name.value.trim()) name.value = street.properties.name;
              view.zoomTo(street.geometry, 17);
              render();
            },
          })
        : null;
    const render = () => {
      const drawn = sketch.hasShape();
      const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'area-save' }, t('edit.save'));
      replace(
        section,
        toolHeading(area ? t('ug.areas.editTitle', { name: area.properties.name }) : isStreet ? t('ug.areas.newStreet') : t('ug.areas.newZone'), host),
        h('p', { class: `draw-hint ${drawn ? '' : 'draw-hint-waiting'}`, 'data-testid': 'draw-hint' }, drawn ? t('ug.draw.adjust') : isStreet ? t('ug.draw.lineHint') : t('ug.draw.polygonHint')),
        streets ? h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'area-street' }, t('picker.fromStreets')), streets.element) : null,
        notice,
        h(
          'form',
          {
            class: 'edit-form',
            novalidate: true,
            onsubmit: (event: Event) => {
              event.preventDefault();
              void saveArea(area, form, notice, save);
            },
          },
          form.element,
          h(
            'div',
            { class: 'form-actions' },
            save,
            h('button', { type: 'button', class: 'button', onclick: () => void showList() }, t('edit.cancel')),
            drawn ? h('button', { type: 'button', class: 'link-button', onclick: () => sketch.start(shape) }, t('edit.redraw')) : null,
          ),
        ),
      );
    };
    onSketchChange = render;
    sketch.start(shape, area?.geometry ?? null);
    if (area) view.zoomTo(area.geometry, 17);
    render();
  }

  async function saveArea(area: AreaFeature | null, form: SimpleForm, notice: HTMLElement, button: HTMLButtonElement): Promise<void> {
    form.clearProblems();
    replace(notice);
    view.showProblem(null, null);
    const geometry = sketch.geometry();
    const { values, problems } = form.read();
    if (!geometry) {
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('ug.draw.needShape')));
      return;
    }
    if (problems.length > 0) return form.showProblems(problems);
    button.disabled = true;
    const input: AreaInput = {
      name: String(values.name),
      target_year: Number(values.target_year),
      source_doc: String(values.source_doc),
      geometry,
      ...(values.corridor_m !== undefined && values.corridor_m !== null ? { corridor_m: Number(values.corridor_m) } : {}),
    };
    try {
      if (area) {
        const before = area.properties;
        const patch: Partial<AreaInput> = {};
        if (input.name !== before.name) patch.name = input.name;
        if (input.target_year !== before.target_year) patch.target_year = input.target_year;
        if (input.source_doc !== before.source_doc) patch.source_doc = input.source_doc;
        if (input.corridor_m !== undefined && input.corridor_m !== before.corridor_m) patch.corridor_m = input.corridor_m;
        if (JSON.stringify(geometry) !== JSON.stringify(area.geometry)) patch.geometry = geometry;
        await undergroundingApi.updateArea(area.id, patch);
        toast(t('ug.areas.saved', { name: input.name }), 'success');
      } else {
        await undergroundingApi.createArea(input);
        toast(t('ug.areas.created', { name: input.name }), 'success');
      }
      overlays.refresh('ug-flags');
      if (!overlays.isVisible('ug-flags')) overlays.setVisible('ug-flags', true);
      void showList();
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.code === 'validation_failed') {
        form.showProblems(error.details);
        const geometryProblem = error.details.find((d) => d.field === 'geometry');
        if (geometryProblem) view.showProblem(geometry, t('edit.geometryProblem', { problem: problemText(geometryProblem) }));
        replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('edit.invalid')));
      } else {
        replace(notice, errorNotice(error));
      }
    }
  }

  // ---- registering a project ------------------------------------------------

  /** Operators with overhead cable still standing in an area, from the flags (the likely participants). */
  async function operatorsIn(area: AreaFeature): Promise<string[]> {
    try {
      const segments = (await overlays.loaded('ug-flags')) as unknown as SegmentFeature[];
      const found = new Set<string>();
      for (const s of segments) if (s.properties.area_id === area.id) for (const [code, value] of Object.entries(s.properties.by_operator)) if (value > 0) found.add(code);
      return telecom.map((o) => o.code).filter((code) => found.has(code));
    } catch {
      return [];
    }
  }

  async function projectForm(area: AreaFeature | null): Promise<void> {
    replace(section, toolHeading(t('ug.areas.registerProject'), host), loading(t('app.loading')));
    const suggested = area ? await operatorsIn(area) : [];
    if (disposed) return;
    const form = simpleForm(
      [
        { name: 'name', label: t('ug.project.name'), control: { type: 'text', maxLength: 300 }, required: true, initial: area ? t('ug.project.defaultName', { name: area.properties.name }) : '' },
        {
          name: 'operators',
          label: t('ug.project.operators'),
          control: { type: 'checks', options: telecom.map((o) => [o.code, o.short_name ?? o.code]) },
          required: true,
          initial: suggested,
          hint: suggested.length > 0 ? t('ug.project.operatorsHint') : undefined,
        },
        { name: 'starts_on', label: t('ug.project.startsOn'), control: { type: 'date' } },
        { name: 'ends_on', label: t('ug.project.endsOn'), control: { type: 'date' } },
        { name: 'duct_design', label: t('ug.project.ductDesign'), control: { type: 'text', multiline: true, placeholder: t('ug.project.ductDesignHint') } },
        { name: 'budget_source', label: t('ug.project.budgetSource'), control: { type: 'text', placeholder: t('ug.project.budgetSourceHint') } },
      ],
      { idPrefix: 'project' },
    );
    const notice = h('div', {});
    const render = () => {
      const drawn = area !== null || sketch.hasShape();
      const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'project-save' }, t('ug.project.register'));
      replace(
        section,
        toolHeading(t('ug.areas.registerProject'), host),
        area
          ? h('p', { class: 'panel-lead' }, t('ug.project.onArea', { name: area.properties.name }))
          : h('p', { class: `draw-hint ${drawn ? '' : 'draw-hint-waiting'}`, 'data-testid': 'draw-hint' }, drawn ? t('ug.draw.adjust') : t('ug.project.drawRoute')),
        notice,
        h(
          'form',
          {
            class: 'edit-form',
            novalidate: true,
            onsubmit: (event: Event) => {
              event.preventDefault();
              void saveProject(area, form, notice, save);
            },
          },
          form.element,
          h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'button', onclick: () => void showList() }, t('edit.cancel'))),
        ),
      );
    };
    onSketchChange = render;
    if (area) {
      sketch.stop();
      view.editing = true;
      view.highlight(area.geometry);
      view.zoomTo(area.geometry, 17);
    } else {
      sketch.start('linestring');
    }
    render();
  }

  async function saveProject(area: AreaFeature | null, form: SimpleForm, notice: HTMLElement, button: HTMLButtonElement): Promise<void> {
    form.clearProblems();
    replace(notice);
    const geometry: GeoJsonGeometry | null = area ? null : sketch.geometry();
    const { values, problems } = form.read();
    if (!area && !geometry) {
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('ug.draw.needShape')));
      return;
    }
    if (problems.length > 0) return form.showProblems(problems);
    button.disabled = true;
    const input: ProjectInput = {
      name: String(values.name),
      operators: values.operators as string[],
      starts_on: (values.starts_on as string | null) ?? null,
      ends_on: (values.ends_on as string | null) ?? null,
      duct_design: (values.duct_design as string | null) ?? null,
      budget_source: (values.budget_source as string | null) ?? null,
      ...(area ? { area_id: area.id } : { geometry: geometry ?? undefined }),
    };
    try {
      const project = await undergroundingApi.createProject(input);
      overlays.refresh('ug-projects');
      toast(t('ug.project.registered', { name: project.name, length: formatNumber(project.length_km) }), 'success');
      app.go(`/ngam-hoa/du-an/${project.id}`);
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.code === 'validation_failed') {
        form.showProblems(error.details);
        replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, t('edit.invalid')));
      } else {
        replace(notice, errorNotice(error));
      }
    }
  }

  // ---- start ---------------------------------------------------------------

  const start = async () => {
    const areaId = Number(params.get('area'));
    const projectOn = Number(params.get('project'));
    if (Number.isInteger(areaId) && areaId > 0) {
      await showList();
      const area = areas.find((a) => a.id === areaId);
      if (area) editArea(area, area.properties.area_type === 'zone' ? 'polygon' : 'linestring');
    } else if (Number.isInteger(projectOn) && projectOn > 0) {
      await showList();
      const area = areas.find((a) => a.id === projectOn);
      if (area) void projectForm(area);
    } else {
      await showList();
    }
  };
  view.editing = true;
  view.closePopup();
  void start();

  return {
    dispose() {
      disposed = true;
      sketch.stop();
      view.highlight(null);
      view.showProblem(null, null);
      view.editing = false;
    },
  };
}
