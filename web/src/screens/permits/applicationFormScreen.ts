// A new permit application, or a change to one the applicant may still edit
// (a draft; a file the ward asked to complete or modify): the works, the
// tower's figures for a tower, the site drawn on the map (a point for a tower,
// a line for a route, a point, line or area for an excavation), the tower to
// register once built; saved as a draft, then documents attached, then
// submitted. Problems the server finds (422) show under the field they name,
// and geometry problems on the map.
//
// Addresses: `/permits/new`, `/permits/{id}/edit`.

import type { TerraDraw } from 'terra-draw';
import { ApiError } from '../../api/client';
import {
  permitsApi,
  WORKS_GEOMETRY,
  WORKS_TYPES,
  type Application,
  type ApplicationInput,
  type Placement,
  type ProposedAsset,
  type Structure,
  type TowerClass,
  type WorksType,
} from '../../api/permits';
import type { FieldProblem, GeoJsonGeometry } from '../../api/types';
import type { App } from '../../app';
import { fieldToIso, isoToField, mayApply, stateBadge, worksName } from '../../domain/permits';
import { currentSession } from '../../domain/session';
import { fieldName, formatNumberPlain, parseNumber, t, valueName } from '../../i18n';
import { createTerraDraw, drawnGeometry, modeFor, uuid } from '../../map/draw';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { field as formField, type Field } from '../../ui/form';
import { bottomSheet } from '../../ui/sheet';
import { describeError, errorBox, toast } from '../../ui/messages';
import { openActionDialog } from './actionDialog';
import { attachmentsSection } from './attachments';
import './permits.css';
import { problemText } from '../../i18n/problems';

const TOWER_CLASSES: TowerClass[] = ['A1', 'A1a', 'A1b', 'A2a', 'A2b', 'other'];
const PLACEMENTS: Placement[] = ['ground', 'rooftop'];
const STRUCTURES: Structure[] = ['monopole', 'lattice', 'guyed', 'rooftop_pole', 'camouflaged', 'other'];
type Shape = 'Point' | 'LineString' | 'Polygon';

export function applicationFormScreen(app: App, existingId: number | null): Screen {
  let draw: TerraDraw | null = null;
  let featureId: string | null = null;
  /** A geometry Terra Draw cannot edit (multi-part) is kept until redrawn. */
  let fixedGeometry: GeoJsonGeometry | null = null;
  let left = false;

  const stopDrawing = () => {
    app.view.editing = false;
    app.view.map.doubleClickZoom.enable();
    app.view.highlight(null);
    app.view.showProblem(null, null);
    if (draw?.enabled) draw.stop();
  };

  return {
    async render(root) {
      const { view } = app;
      root.className = 'screen screen-map screen-permit-form';
      // The form beside the map; on a phone a bottom sheet over it, opened.
      const sheet = bottomSheet({ class: 'permit-form-panel', label: t('permit.form.title') });
      sheet.open(true);
      const side = sheet.content;
      replace(side, loading(t('app.loading')));
      const mapArea = h('div', { class: 'map-area' });
      replace(root, sheet.element, mapArea);
      view.mountIn(mapArea);

      if (!currentSession().user || !mayApply()) {
        replace(side, h('section', { class: 'panel-section' }, h('div', { class: 'notice notice-info' }, currentSession().user ? t('permit.form.onlyOperators') : t('permit.loginFirst')), h('a', { href: '/permits', class: 'button' }, t('permit.back'))));
        return;
      }

      let application: Application | null = null;
      if (existingId !== null) {
        try {
          application = await permitsApi.get(existingId);
        } catch (error) {
          replace(side, h('section', { class: 'panel-section' }, errorBox(error), h('a', { href: '/permits', class: 'button' }, t('permit.back'))));
          return;
        }
      }
      if (left) return;

      // ---- The fields -------------------------------------------------------
      const slots = new Map<string, Field<HTMLElement>>();
      const field = (name: string, label: string, control: HTMLElement, options: { required?: boolean; hint?: string } = {}): HTMLElement => {
        const made = formField(name, label, control, options);
        slots.set(name, made);
        return made.element;
      };
      const select = (id: string, values: readonly string[], label: (v: string) => string, value: string) => {
        const element = h('select', { id, 'data-testid': id }, values.map((v) => h('option', { value: v }, label(v))));
        element.value = value;
        return element;
      };
      const text = (id: string, value: string, attrs: Record<string, string | number> = {}) => h('input', { id, type: 'text', value, 'data-testid': id, autocomplete: 'off', ...attrs });

      const initialTower = application?.tower ?? null;
      const proposedTower = application?.proposed_assets.find((a) => a.kind === 'tower');
      const proposedProps = ((proposedTower?.feature as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;

      const worksType = select('permit-works-type', WORKS_TYPES, worksName, application?.works_type ?? 'tower');
      const title = text('permit-title', application?.title ?? '', { maxlength: 300 });
      const description = h('textarea', { id: 'permit-description', rows: 3, 'data-testid': 'permit-description' });
      description.value = application?.description ?? '';
      const plannedStart = text('permit-planned-start', isoToField(application?.planned_start), { placeholder: 'dd/mm/yyyy', inputmode: 'numeric' });
      const plannedEnd = text('permit-planned-end', isoToField(application?.planned_end), { placeholder: 'dd/mm/yyyy', inputmode: 'numeric' });
      const operatorSelect =
        currentSession().user?.role === 'admin' && !application
          ? select(
              'permit-operator',
              app.reference.operators.map((o) => o.code),
              (code) => app.reference.operatorLabel(code),
              app.reference.operators[0]?.code ?? '',
            )
          : null;

      const towerClass = select('permit-tower-class', TOWER_CLASSES, (v) => valueName('tower_class', v), initialTower?.tower_class ?? 'A2b');
      const height = text('permit-tower-height', initialTower ? formatNumberPlain(initialTower.height_m) : '', { inputmode: 'decimal' });
      const placement = select('permit-tower-placement', PLACEMENTS, (v) => valueName('placement', v), initialTower?.placement ?? 'ground');
      const hostHeight = text('permit-tower-host-height', initialTower?.host_building_height_m != null ? formatNumberPlain(initialTower.host_building_height_m) : '', { inputmode: 'decimal' });
      const structure = select('permit-tower-structure', STRUCTURES, (v) => valueName('structure', v), String(proposedProps.structure ?? 'monopole'));
      const propose = h('input', { type: 'checkbox', id: 'permit-propose-tower', 'data-testid': 'permit-propose-tower', checked: application ? proposedTower !== undefined : true });
      const assetCode = text('permit-asset-code', String(proposedProps.code ?? ''), { placeholder: `${currentSession().user?.operator ?? 'VNPT'}-QNI-T…` });

      const hostField = field('tower.host_building_height_m', t('permit.form.host_building_height_m'), hostHeight, { required: true });
      const assetFields = h(
        'div',
        { class: 'field-group' },
        field('proposed_assets.structure', t('permit.form.structure'), structure),
        field('proposed_assets.code', t('permit.form.assetCode'), assetCode, { required: true, hint: t('permit.form.assetCodeHint') }),
      );
      const towerSection = h(
        'fieldset',
        { class: 'permit-fieldset', 'data-testid': 'permit-tower-section' },
        h('legend', {}, t('permit.form.towerSection')),
        h('div', { class: 'field-row' }, field('tower.tower_class', t('permit.form.tower_class'), towerClass, { required: true }), field('tower.height_m', t('permit.form.height_m'), height, { required: true })),
        h('div', { class: 'field-row' }, field('tower.placement', t('permit.form.placement'), placement, { required: true }), hostField),
        h('label', { class: 'check propose-check' }, propose, t('permit.form.proposeTower')),
        assetFields,
      );
      const syncTower = () => {
        towerSection.hidden = worksType.value !== 'tower';
        hostField.hidden = placement.value !== 'rooftop';
        assetFields.hidden = !propose.checked;
      };
      placement.addEventListener('change', syncTower);
      propose.addEventListener('change', syncTower);

      // ---- The site on the map ---------------------------------------------
      const shapeSwitch = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('permit.form.shape') });
      const drawHint = h('p', { class: 'draw-hint', 'data-testid': 'permit-draw-hint' });
      const redraw = h('button', { type: 'button', class: 'link-button', 'data-testid': 'permit-redraw', onclick: () => startDrawing(currentShape) }, t('permit.form.redraw'));
      const geometryError = h('p', { class: 'field-error', 'data-testid': 'error-geometry', hidden: true });
      const siteSection = h('div', { class: 'field site-field' }, shapeSwitch, drawHint, redraw, geometryError);
      slots.set('geometry', {
        element: siteSection,
        control: siteSection,
        setError: (message) => {
          siteSection.classList.toggle('invalid', message !== null);
          geometryError.hidden = message === null;
          geometryError.textContent = message ?? '';
        },
      });
      let currentShape: Shape = (WORKS_GEOMETRY[worksType.value as WorksType] ?? ['Point'])[0] ?? 'Point';

      const drawn = () => featureId !== null || fixedGeometry !== null;
      const renderSite = () => {
        const shapes = WORKS_GEOMETRY[worksType.value as WorksType] ?? ['Point'];
        replace(
          shapeSwitch,
          shapes.length > 1
            ? shapes.map((shape) =>
                h(
                  'button',
                  { type: 'button', role: 'radio', 'aria-checked': String(shape === currentShape), class: shape === currentShape ? 'active' : '', 'data-testid': `permit-shape-${shape}`, onclick: () => startDrawing(shape) },
                  t(`permit.form.shape.${shape}`),
                ),
              )
            : null,
        );
        shapeSwitch.hidden = shapes.length < 2;
        const waiting = !drawn();
        drawHint.textContent = waiting ? t(currentShape === 'Point' ? 'permit.form.drawPoint' : currentShape === 'LineString' ? 'permit.form.drawLine' : 'permit.form.drawPolygon') : t('permit.form.drawn');
        drawHint.classList.toggle('draw-hint-waiting', waiting);
        redraw.hidden = waiting;
      };

      const ensureDraw = (): TerraDraw => {
        if (draw) return draw;
        draw = createTerraDraw(view.map, { polygon: true });
        draw.on('finish', (id) => {
          if (!draw) return;
          const mode = draw.getMode();
          if (mode === 'point' || mode === 'linestring' || mode === 'polygon') {
            featureId = String(id);
            draw.setMode('select');
            draw.selectFeature(id);
            slots.get('geometry')?.setError(null);
            renderSite();
          }
        });
        return draw;
      };
      const startDrawing = (shape: Shape) => {
        currentShape = shape;
        featureId = null;
        fixedGeometry = null;
        view.highlight(null);
        view.showProblem(null, null);
        view.editing = true;
        view.closePopup();
        view.map.doubleClickZoom.disable();
        const d = ensureDraw();
        if (!d.enabled) d.start();
        d.clear();
        d.setMode(modeFor(shape));
        renderSite();
      };
      const showExisting = (geometry: GeoJsonGeometry) => {
        const d = ensureDraw();
        view.editing = true;
        view.map.doubleClickZoom.disable();
        if (!d.enabled) d.start();
        d.clear();
        if (geometry.type === 'Point' || geometry.type === 'LineString' || geometry.type === 'Polygon') {
          const id = uuid();
          currentShape = geometry.type;
          d.addFeatures([{ id, type: 'Feature', geometry, properties: { mode: modeFor(geometry.type) } }]);
          featureId = id;
          d.setMode('select');
          d.selectFeature(id);
        } else {
          fixedGeometry = geometry;
          view.highlight(geometry);
          d.setMode('select');
        }
        view.zoomTo(geometry, 18);
        renderSite();
      };
      const currentGeometry = (): GeoJsonGeometry | null => fixedGeometry ?? (featureId && draw ? drawnGeometry(draw, featureId) : null);

      worksType.addEventListener('change', () => {
        syncTower();
        const shapes = WORKS_GEOMETRY[worksType.value as WorksType] ?? ['Point'];
        const geometry = currentGeometry();
        if (!geometry || !shapes.includes(geometry.type as Shape)) startDrawing(shapes[0] ?? 'Point');
        else renderSite();
      });

      // ---- Problems by field -------------------------------------------------
      const problemsBox = h('div', { 'aria-live': 'polite' });
      const clearProblems = () => {
        problemsBox.replaceChildren();
        for (const slot of slots.values()) slot.setError(null);
        view.showProblem(null, null);
      };
      /** Where a server field goes: `proposed_assets[0].code` → the asset code field. */
      const slotOf = (name: string): Field<HTMLElement> | undefined => {
        if (slots.has(name)) return slots.get(name);
        const proposed = name.match(/^proposed_assets\[\d+\]\.(\w+)/);
        if (proposed) return slots.get(`proposed_assets.${proposed[1]}`) ?? slots.get('proposed_assets.code');
        if (name.startsWith('geometry')) return slots.get('geometry');
        return slots.get(name.split('.')[0] ?? name);
      };
      const showProblems = (problems: FieldProblem[]): FieldProblem[] => {
        const unplaced: FieldProblem[] = [];
        const byField = new Map<Field<HTMLElement>, string[]>();
        for (const problem of problems) {
          const slot = slotOf(problem.field);
          // A field hidden for these works (the tower's, say) cannot show it: it goes in the list on top.
          if (!slot || slot.element.hidden || slot.element.closest('[hidden]')) unplaced.push(problem);
          else byField.set(slot, [...(byField.get(slot) ?? []), problemText(problem)]);
        }
        for (const [slot, texts] of byField) slot.setError(texts.join(' '));
        return unplaced;
      };

      // ---- Reading the form ------------------------------------------------
      const read = (): { input: ApplicationInput | null; problems: FieldProblem[] } => {
        const problems: FieldProblem[] = [];
        const works = worksType.value as WorksType;
        if (title.value.trim() === '') problems.push({ field: 'title', problem: t('permit.form.required') });
        const start = fieldToIso(plannedStart.value);
        const end = fieldToIso(plannedEnd.value);
        if (!start) problems.push({ field: 'planned_start', problem: plannedStart.value.trim() ? 'dd/mm/yyyy' : t('permit.form.required') });
        if (!end) problems.push({ field: 'planned_end', problem: plannedEnd.value.trim() ? 'dd/mm/yyyy' : t('permit.form.required') });
        const geometry = currentGeometry();
        if (!geometry) problems.push({ field: 'geometry', problem: t('permit.form.needGeometry') });
        let tower: ApplicationInput['tower'] = null;
        const proposed: ProposedAsset[] = [];
        if (works === 'tower') {
          const heightM = parseNumber(height.value);
          if (!Number.isFinite(heightM)) problems.push({ field: 'tower.height_m', problem: height.value.trim() ? t('permit.form.notNumber') : t('permit.form.required') });
          let host: number | null = null;
          if (placement.value === 'rooftop') {
            host = parseNumber(hostHeight.value);
            if (!Number.isFinite(host)) problems.push({ field: 'tower.host_building_height_m', problem: hostHeight.value.trim() ? t('permit.form.notNumber') : t('permit.form.required') });
          }
          tower = { tower_class: towerClass.value as TowerClass, height_m: heightM, placement: placement.value as Placement, host_building_height_m: host };
          if (propose.checked) {
            if (assetCode.value.trim() === '') problems.push({ field: 'proposed_assets.code', problem: t('permit.form.required') });
            // The tower to register once built, from the figures above; its
            // site is the application's (the server fills it in).
            proposed.push({
              kind: 'tower',
              feature: {
                type: 'Feature',
                geometry: null,
                properties: {
                  code: assetCode.value.trim(),
                  name: title.value.trim(),
                  tower_class: tower.tower_class,
                  height_m: heightM,
                  placement: tower.placement,
                  structure: structure.value,
                  ...(host !== null ? { host_building_height_m: host } : {}),
                },
              },
            });
          }
        } else {
          // Assets proposed with other works are kept as they are (set through the API).
          proposed.push(...(application?.proposed_assets ?? []).filter((a) => a.kind !== 'tower'));
        }
        if (problems.length > 0 || !geometry || !start || !end) return { input: null, problems };
        const input: ApplicationInput = {
          works_type: works,
          title: title.value.trim(),
          description: description.value.trim(),
          geometry,
          planned_start: start,
          planned_end: end,
          tower,
          proposed_assets: proposed,
        };
        if (operatorSelect) input.operator = operatorSelect.value;
        return { input, problems };
      };

      // ---- Saving, attaching, submitting -------------------------------------
      const afterSave = h('div', {});
      const saveButton = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'permit-save' }, t('permit.form.saveDraft'));
      const save = async () => {
        clearProblems();
        const { input, problems } = read();
        if (!input) {
          const unplaced = showProblems(problems);
          problemsBox.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'permit-invalid' }, t('permit.form.invalid'), unplacedList(unplaced)));
          return;
        }
        saveButton.disabled = true;
        saveButton.textContent = t('permit.form.saving');
        try {
          application = application ? await permitsApi.update(application.id, input, application.version) : await permitsApi.create(input);
          toast(t('permit.form.saved', { reference: application.reference }), 'success');
          history.replaceState(null, '', `/permits/${application.id}/edit`);
          renderAfterSave();
          app.view.reloadLayer('permits');
        } catch (error) {
          if (error instanceof ApiError && error.code === 'validation_failed') {
            const unplaced = showProblems(error.details);
            const geometryProblem = error.details.find((d) => d.field.startsWith('geometry'));
            const geometry = currentGeometry();
            if (geometryProblem && geometry) view.showProblem(geometry, problemText(geometryProblem));
            problemsBox.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'permit-invalid' }, t('permit.form.invalid'), unplacedList(unplaced)));
          } else {
            problemsBox.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
          }
        } finally {
          saveButton.disabled = false;
          saveButton.textContent = t('permit.form.saveDraft');
        }
      };

      const renderAfterSave = () => {
        if (!application) return;
        const saved = application;
        const submit = saved.actions.includes('submit') || saved.actions.includes('resubmit');
        const action = saved.actions.includes('submit') ? 'submit' : 'resubmit';
        replace(
          afterSave,
          h(
            'section',
            { class: 'panel-section', 'data-testid': 'permit-step-documents' },
            h('h2', { class: 'panel-title' }, t('permit.form.step3')),
            h('p', { class: 'permit-draft-note', 'data-testid': 'permit-draft-note' }, stateBadge(saved.state), ' ', t('permit.form.draftNote', { reference: saved.reference })),
            attachmentsSection(saved.id, saved.attachments, true),
            h(
              'div',
              { class: 'form-actions form-actions-static' },
              submit
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-primary',
                      'data-testid': 'permit-submit',
                      onclick: () =>
                        openActionDialog(
                          saved,
                          action,
                          (body) => permitsApi.act(saved.id, action, body, saved.version),
                          (updated) => {
                            toast(t('permit.done.submit', { reference: updated.reference }), 'success');
                            app.view.reloadLayer('permits');
                            app.go(`/permits/${updated.id}`);
                          },
                          () => app.go(`/permits/${saved.id}`),
                        ),
                    },
                    t(action === 'submit' ? 'permit.form.submit' : 'permit.action.resubmit'),
                  )
                : null,
              h('a', { href: `/permits/${saved.id}`, class: 'button', 'data-testid': 'permit-open' }, t('permit.form.open')),
            ),
          ),
        );
      };

      const form = h(
        'form',
        {
          class: 'edit-form permit-form',
          novalidate: true,
          'data-testid': 'permit-form',
          onsubmit: (event: Event) => {
            event.preventDefault();
            void save();
          },
        },
        h(
          'section',
          { class: 'panel-section' },
          h('h2', { class: 'panel-title' }, t('permit.form.step1')),
          operatorSelect ? field('operator', t('permit.field.operator'), operatorSelect, { required: true }) : null,
          field('works_type', t('permit.field.works_type'), worksType, { required: true }),
          field('title', t('permit.field.title'), title, { required: true }),
          field('description', t('permit.field.description'), description),
          h('div', { class: 'field-row' }, field('planned_start', t('permit.field.planned_start'), plannedStart, { required: true }), field('planned_end', t('permit.field.planned_end'), plannedEnd, { required: true })),
          towerSection,
        ),
        h('section', { class: 'panel-section' }, h('h2', { class: 'panel-title' }, t('permit.form.step2')), siteSection),
        h('section', { class: 'panel-section panel-section-sticky' }, problemsBox, h('div', { class: 'form-actions form-actions-static' }, saveButton, h('a', { href: application ? `/permits/${application.id}` : '/permits', class: 'button' }, t('edit.cancel')))),
      );

      replace(
        side,
        h(
          'div',
          { class: 'panel-section permit-form-head' },
          h('a', { href: '/permits', class: 'back-link' }, `← ${t('permit.back')}`),
          h('h1', { class: 'permit-form-title' }, application ? `${application.reference}` : t('permit.form.title')),
          h('p', { class: 'panel-lead' }, t('permit.form.lead')),
        ),
        form,
        afterSave,
      );
      syncTower();
      renderSite();
      if (application) renderAfterSave();

      await view.ready;
      if (left) return;
      if (application) showExisting(application.geometry);
      else startDrawing(currentShape);
    },
    leave() {
      left = true;
      stopDrawing();
      draw = null;
    },
  };
}

function unplacedList(problems: FieldProblem[]): HTMLElement | null {
  if (problems.length === 0) return null;
  return h('ul', {}, problems.map((p) => h('li', {}, `${fieldName(p.field)}: ${problemText(p)}`)));
}
