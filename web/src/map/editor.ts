// Editing for operators: draw a new point or line on the map (or move a
// point, reshape a line), fill the form of its kind, save. New assets are
// POSTed; changes are PATCHed with If-Match, so an edit based on a stale
// version is refused (409) and the person is told what changed meanwhile.
//
// Drawing uses Terra Draw with its MapLibre adapter.

import type { TerraDraw } from 'terra-draw';
import { api, ApiError, type OpenApiDocument } from '../api/client';
import type { AssetFeature, Collection, FieldProblem, GeoJsonGeometry, HistoryEntry } from '../api/types';
import { buildAssetForm, type AssetForm } from '../forms/assetForm';
import type { KindInfo } from '../domain/kinds';
import { KINDS, kindInfo } from '../domain/kinds';
import type { Reference } from '../domain/reference';
import { allowedOperators, defaultOperator } from '../domain/session';
import { fieldName, formatDateTime, formatNumber, t, valueName } from '../i18n';
import { h, loading, replace } from '../ui/dom';
import { describeError, toast } from '../ui/messages';
import { createTerraDraw, drawnGeometry, uuid } from './draw';
import { tenancyChanges } from '../domain/tenancyChanges';
import { MAP_LAYERS } from './layers';
import type { MapView } from './mapView';
import { problemText } from '../i18n/problems';

let openapi: Promise<OpenApiDocument> | null = null;
function openapiDocument(): Promise<OpenApiDocument> {
  openapi ??= api.openapi().catch((error: unknown) => {
    openapi = null;
    throw error;
  });
  return openapi;
}

interface Session {
  kind: KindInfo;
  /** The asset being changed, with the ETag it was read at; null for a new one. */
  existing: { feature: AssetFeature; etag: string | null } | null;
  form: AssetForm;
  featureId: string | null;
  /** A geometry Terra Draw cannot edit (MultiLineString) is kept as it is. */
  fixedGeometry: GeoJsonGeometry | null;
}

export class Editor {
  private draw: TerraDraw | null = null;
  private session: Session | null = null;
  private panel: HTMLElement | null = null;

  constructor(
    private readonly view: MapView,
    private readonly reference: Reference,
    /** Called when editing ends (saved or cancelled), to show the map panels again. */
    private readonly onClose: () => void,
  ) {}

  isActive(): boolean {
    return this.session !== null;
  }

  /** The kind chooser shown by "Add asset". */
  kindChooser(onChoose: (kind: KindInfo) => void): HTMLElement {
    return h(
      'div',
      { class: 'kind-chooser' },
      h('p', { class: 'panel-lead' }, t('edit.chooseKind')),
      h(
        'div',
        { class: 'kind-buttons' },
        KINDS.map((kind) =>
          h('button', { type: 'button', class: 'button', 'data-testid': `add-${kind.collection}`, onclick: () => onChoose(kind) }, t(`kind.${kind.collection}`)),
        ),
      ),
      h('button', { type: 'button', class: 'link-button', onclick: () => this.onClose() }, t('edit.cancel')),
    );
  }

  /** Starts drawing a new asset of `kind`; the form goes into `panel`. */
  async startNew(kind: KindInfo, panel: HTMLElement): Promise<void> {
    this.panel = panel;
    replace(panel, loading(t('app.loading')));
    try {
      const doc = await openapiDocument();
      const operator = defaultOperator();
      const initial: Record<string, unknown> = { status: 'operational', ...(operator ? { operator } : {}) };
      const form = buildAssetForm(doc, kind, this.reference, initial, allowedOperators(), (collections, onPick) => this.pickOnMap(collections, onPick));
      this.session = { kind, existing: null, form, featureId: null, fixedGeometry: null };
      this.beginDrawing();
      this.renderPanel();
    } catch (error) {
      replace(panel, this.errorWithClose(error));
    }
  }

  /** Starts changing an existing asset: its geometry on the map, its attributes in the form. */
  async startEdit(collection: string, id: number, panel: HTMLElement): Promise<void> {
    const kind = kindInfo(collection);
    if (!kind) return;
    this.panel = panel;
    replace(panel, loading(t('app.loading')));
    try {
      const [doc, existing] = await Promise.all([openapiDocument(), api.getAsset(kind.collection, id)]);
      const form = buildAssetForm(doc, kind, this.reference, existing.feature.properties, null, (collections, onPick) => this.pickOnMap(collections, onPick));
      this.session = { kind, existing, form, featureId: null, fixedGeometry: null };
      this.beginDrawing(existing.feature.geometry);
      this.renderPanel();
      this.view.zoomTo(existing.feature.geometry, 18);
    } catch (error) {
      replace(panel, this.errorWithClose(error));
    }
  }

  /**
   * Lets clicks on the map choose assets of `collections` (a cable's poles, a duct's
   * manholes) while the drawing holds still; returns the way to stop.
   */
  private pickOnMap(collections: Collection[], onPick: (id: number) => void): () => void {
    const draw = this.draw?.enabled ? this.draw : null;
    const mode = draw?.getMode() ?? null;
    draw?.setMode('static');
    // The kinds to pick from are shown while picking.
    const layers = MAP_LAYERS.filter((l) => l.collection && collections.includes(l.collection));
    const hidden = layers.filter((l) => !this.view.isVisible(l));
    for (const layer of hidden) this.view.setVisible(layer, true);
    const stop = this.view.pick(
      layers.flatMap((l) => l.assetLayerIds),
      (feature) => onPick(Number(feature.properties.id ?? feature.id)),
    );
    return () => {
      stop();
      for (const layer of hidden) this.view.setVisible(layer, false);
      if (draw && mode && draw.enabled) {
        draw.setMode(mode);
        const featureId = this.session?.featureId;
        if (mode === 'select' && featureId) draw.selectFeature(featureId);
      }
    };
  }

  /** Stops editing without saving. */
  cancel(): void {
    this.session?.form.dispose();
    this.stopDrawing();
    this.session = null;
    this.view.showProblem(null, null);
    this.onClose();
  }

  private errorWithClose(error: unknown): HTMLElement {
    return h(
      'div',
      {},
      h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)),
      h('button', { type: 'button', class: 'button', onclick: () => this.cancel() }, t('common.close')),
    );
  }

  private ensureDraw(): TerraDraw {
    if (this.draw) return this.draw;
    this.draw = createTerraDraw(this.view.map);
    this.draw.on('finish', (id) => {
      if (!this.session || !this.draw) return;
      const mode = this.draw.getMode();
      if (mode === 'point' || mode === 'linestring') {
        this.session.featureId = String(id);
        this.draw.setMode('select');
        this.draw.selectFeature(id);
        this.renderPanel();
      }
    });
    return this.draw;
  }

  private beginDrawing(geometry?: GeoJsonGeometry): void {
    const session = this.session;
    if (!session) return;
    this.view.editing = true;
    this.view.closePopup();
    this.view.map.doubleClickZoom.disable();
    const draw = this.ensureDraw();
    if (!draw.enabled) draw.start();
    draw.clear();
    if (geometry && (geometry.type === 'Point' || geometry.type === 'LineString')) {
      const id = uuid();
      draw.addFeatures([
        { id, type: 'Feature', geometry, properties: { mode: geometry.type === 'Point' ? 'point' : 'linestring' } },
      ]);
      session.featureId = id;
      draw.setMode('select');
      draw.selectFeature(id);
    } else if (geometry) {
      // Terra Draw edits single lines; a multi-part cable keeps its geometry.
      session.fixedGeometry = geometry;
      this.view.highlight(geometry);
      draw.setMode('select');
    } else {
      session.featureId = null;
      draw.setMode(session.kind.geometry === 'point' ? 'point' : 'linestring');
    }
  }

  private stopDrawing(): void {
    this.view.editing = false;
    this.view.map.doubleClickZoom.enable();
    this.view.highlight(null);
    if (this.draw?.enabled) this.draw.stop();
  }

  private redraw(): void {
    if (!this.session) return;
    this.session.fixedGeometry = null;
    this.view.showProblem(null, null);
    this.beginDrawing();
    this.renderPanel();
  }

  private currentGeometry(): GeoJsonGeometry | null {
    const session = this.session;
    if (!session) return null;
    if (session.fixedGeometry) return session.fixedGeometry;
    if (!session.featureId || !this.draw) return null;
    return drawnGeometry(this.draw, session.featureId);
  }

  private renderPanel(notice?: HTMLElement): void {
    const session = this.session;
    const panel = this.panel;
    if (!session || !panel) return;
    const kindName = t(`kind.one.${session.kind.collection}`);
    const title = session.existing
      ? t('edit.editTitle', { code: session.existing.feature.properties.code })
      : t('edit.newTitle', { kind: kindName });
    const drawn = session.featureId !== null || session.fixedGeometry !== null;
    const hint = !drawn
      ? session.kind.geometry === 'point'
        ? t('edit.drawPoint', { kind: kindName })
        : t('edit.drawLine')
      : session.fixedGeometry
        ? null
        : t('edit.adjust');
    const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'edit-save' }, t('edit.save'));
    const form = h(
      'form',
      {
        class: 'edit-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          void this.save(save);
        },
      },
      session.form.element,
      h(
        'div',
        { class: 'form-actions' },
        save,
        h('button', { type: 'button', class: 'button', 'data-testid': 'edit-cancel', onclick: () => this.cancel() }, t('edit.cancel')),
        drawn ? h('button', { type: 'button', class: 'link-button', onclick: () => this.redraw() }, t('edit.redraw')) : null,
      ),
    );
    replace(
      panel,
      h(
        'section',
        { class: 'panel-section editor', 'data-testid': 'editor' },
        h('h2', { class: 'panel-title' }, title),
        hint ? h('p', { class: `draw-hint ${drawn ? '' : 'draw-hint-waiting'}`, 'data-testid': 'draw-hint' }, hint) : null,
        notice ?? null,
        form,
      ),
    );
  }

  private async save(button: HTMLButtonElement): Promise<void> {
    const session = this.session;
    if (!session) return;
    session.form.clearProblems();
    this.view.showProblem(null, null);
    const geometry = this.currentGeometry();
    const { properties, problems } = session.form.read();
    if (!geometry) {
      this.renderPanel(h('div', { class: 'notice notice-error', role: 'alert' }, t('edit.needGeometry')));
      return;
    }
    if (problems.length > 0) {
      session.form.showProblems(problems);
      return;
    }
    button.disabled = true;
    button.textContent = t('edit.saving');
    try {
      let saved: AssetFeature;
      if (session.existing) {
        const before = session.existing.feature;
        const changed: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(properties)) {
          if (JSON.stringify(value ?? null) !== JSON.stringify(before.properties[name] ?? null)) changed[name] = value;
        }
        const patch: { geometry?: unknown; properties?: Record<string, unknown> } = {};
        if (Object.keys(changed).length > 0) patch.properties = changed;
        if (JSON.stringify(geometry) !== JSON.stringify(before.geometry)) patch.geometry = geometry;
        saved = (await api.updateAsset(session.kind.collection, before.id, patch, session.existing.etag)).feature;
        toast(t('edit.updated', { code: saved.properties.code }), 'success');
      } else {
        const cleaned = Object.fromEntries(
          Object.entries(properties).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)),
        );
        saved = (await api.createAsset(session.kind.collection, { type: 'Feature', geometry, properties: cleaned })).feature;
        toast(t('edit.created', { code: saved.properties.code }), 'success');
      }
      // The server took it but asks the writer to check something (a former province's meridian).
      const warnings = (saved as { warnings?: FieldProblem[] }).warnings ?? [];
      if (warnings.length > 0) toast(warnings.map((w) => problemText(w)).join(' · '), 'info');
      session.form.dispose();
      this.stopDrawing();
      this.session = null;
      this.view.refreshTiles();
      this.view.highlight(saved.geometry);
      this.onClose();
    } catch (error) {
      button.disabled = false;
      button.textContent = t('edit.save');
      await this.showSaveError(error, geometry);
    }
  }

  private async showSaveError(error: unknown, geometry: GeoJsonGeometry): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (error instanceof ApiError && error.code === 'validation_failed') {
      const unplaced = session.form.showProblems(error.details);
      const geometryProblems = unplaced.filter((p) => p.field === 'geometry' || p.field.startsWith('geometry'));
      let geometryMessage: string | null = null;
      if (geometryProblems.length > 0) {
        geometryMessage = t('edit.geometryProblem', { problem: geometryProblems.map((p) => problemText(p)).join(' ') });
        this.view.showProblem(geometry, geometryMessage);
      }
      const onlyGeometry = geometryProblems.length === error.details.length && geometryMessage !== null;
      this.renderPanel(
        h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'edit-invalid' }, onlyGeometry ? geometryMessage : t('edit.invalid')),
      );
      session.form.showProblems(error.details);
      return;
    }
    if (error instanceof ApiError && error.code === 'version_conflict' && session.existing) {
      this.renderPanel(await this.conflictNotice(session, error));
      return;
    }
    this.renderPanel(h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
  }

  /** What changed since the version the person started from, from the asset's history. */
  private async conflictNotice(session: Session, error: ApiError): Promise<HTMLElement> {
    const existing = session.existing;
    if (!existing) return h('div');
    const baseVersion = Number((existing.etag ?? '').replace(/^W\//, '').replace(/"/g, ''));
    let lines: HTMLElement[];
    try {
      const history = await api.history(existing.feature.id);
      const newer = history.entries.filter((e) => Number.isFinite(baseVersion) && e.version > baseVersion);
      lines = newer.flatMap((entry) => describeEntry(entry));
    } catch {
      lines = [];
    }
    if (lines.length === 0) {
      // The history could not be read: fall back to the server's own words.
      lines = error.details.map((d: FieldProblem) => h('li', {}, `${fieldName(d.field)}: ${problemText(d)}`));
    }
    return h(
      'div',
      { class: 'notice notice-warning', role: 'alert', 'data-testid': 'edit-conflict' },
      h('h3', {}, t('edit.conflictTitle')),
      h('p', {}, t('edit.conflictLead')),
      h('ul', { class: 'conflict-list' }, lines),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-primary',
          onclick: () => {
            const panel = this.panel;
            this.stopDrawing();
            this.session = null;
            if (panel) void this.startEdit(session.kind.collection, existing.feature.id, panel);
          },
        },
        t('edit.conflictReload'),
      ),
    );
  }
}

/** A person-readable value of a field in a history entry. */
export function shownValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'string') return valueName(field, value);
  if (typeof value === 'number') return formatNumber(value, 6);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.map((v) => valueName(field, String(v))).join(', ');
  return '…';
}

/** The changes of one history entry, one list item each. */
function describeEntry(entry: HistoryEntry): HTMLElement[] {
  const by = t('edit.conflictBy', { actor: entry.actor, at: formatDateTime(entry.at), version: String(entry.version) });
  return entry.changes.map((change) =>
    h(
      'li',
      {},
      h('strong', {}, fieldName(change.field)),
      change.field === 'tenancies'
        ? `: ${tenancyChanges(change.before, change.after).join('; ')}`
        : change.field === 'geometry'
        ? ''
        : `: ${shownValue(change.field, change.before)} → ${shownValue(change.field, change.after)}`,
      h('br'),
      h('span', { class: 'muted' }, by),
    ),
  );
}
