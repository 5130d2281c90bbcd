// The map tools of undergrounding, sharing and dig-once, offered in the map
// screen's side panel by role: planners draw undergrounding streets and zones
// and register projects; ward staff announce civil works; anyone signed in
// finds towers to share and traces a free path through the ducts. A running
// tool has the side panel to itself and the map's clicks (popups pause);
// closing it gives both back.
//
// Addresses: `/?tool=areas` (with `&area=ID` to edit one, `&project=ID` to
// register a project on one), `/?tool=civil-work`, `/?tool=colocation`,
// `/?tool=path`, `/?tool=measure`.

import type { App } from '../../app';
import { canAnnounceWorks, canPlan, signedIn } from '../../domain/undergrounding';
import { t, type MessageKey } from '../../i18n';
import { h, loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';

/** What a tool gets from the screen. */
export interface ToolHost {
  app: App;
  /** The side panel, the tool's to fill. */
  panel: HTMLElement;
  /** Ends the tool and gives the side panel back to the map's panels. */
  close(): void;
}

/** A running tool. */
export interface RunningTool {
  /** Removes what it put on the map and stops listening. */
  dispose(): void;
}

type StartTool = (host: ToolHost, params: URLSearchParams) => RunningTool;

interface ToolInfo {
  id: string;
  label: MessageKey;
  lead: MessageKey;
  available(): boolean;
  /** The tool's module is loaded when it is first used (its own chunk). */
  load(): Promise<StartTool>;
}

const TOOLS: ToolInfo[] = [
  { id: 'areas', label: 'ug.tool.areas', lead: 'ug.tool.areasLead', available: canPlan, load: async () => (await import('./areasTool')).areasTool },
  { id: 'civil-work', label: 'ug.tool.civilWork', lead: 'ug.tool.civilWorkLead', available: canAnnounceWorks, load: async () => (await import('./civilWorkTool')).civilWorkTool },
  { id: 'colocation', label: 'ug.tool.colocation', lead: 'ug.tool.colocationLead', available: signedIn, load: async () => (await import('./colocationTool')).colocationTool },
  { id: 'path', label: 'ug.tool.path', lead: 'ug.tool.pathLead', available: signedIn, load: async () => (await import('./pathTool')).pathTool },
  // Measuring distance and area: for everyone, the public too.
  { id: 'measure', label: 'measure.title', lead: 'measure.lead', available: () => true, load: async () => (await import('./measureTool')).measureTool },
];

export class MapTools {
  private running: RunningTool | null = null;
  /** Counts starts, so a tool whose module arrives after another was chosen is not started. */
  private generation = 0;
  private readonly panel = h('div', { class: 'side-panels tool-panel', 'data-testid': 'tool-panel' });

  constructor(
    private readonly app: App,
    private readonly side: HTMLElement,
    /** Shows the map's own panels again. */
    private readonly showPanels: () => void,
  ) {}

  isActive(): boolean {
    return this.running !== null;
  }

  /** Starts a tool by id (ignored when the person may not use it). */
  async start(id: string, params: URLSearchParams = new URLSearchParams()): Promise<void> {
    const tool = TOOLS.find((x) => x.id === id);
    if (!tool || !tool.available()) return;
    this.stop();
    const generation = ++this.generation;
    // Holds the side panel while the module loads.
    this.running = { dispose: () => undefined };
    replace(this.side, this.panel);
    replace(this.panel, loading(t('app.loading')));
    let start: StartTool;
    try {
      start = await tool.load();
    } catch (error) {
      if (generation === this.generation) replace(this.panel, h('section', { class: 'panel-section' }, errorBox(error, () => void this.start(id, params)), h('button', { type: 'button', class: 'button', onclick: () => this.close() }, t('common.close'))));
      return;
    }
    if (generation !== this.generation || !this.running) return;
    replace(this.panel);
    this.running = start({ app: this.app, panel: this.panel, close: () => this.close() }, params);
  }

  /** Ends the running tool and shows the map panels. */
  close(): void {
    this.stop();
    this.showPanels();
  }

  /** Ends the running tool (when the screen is left). */
  stop(): void {
    this.generation += 1;
    const running = this.running;
    this.running = null;
    running?.dispose();
  }

  /** The "Tools" section of the map's side panel, with the tools this person may use. */
  section(): HTMLElement | null {
    const available = TOOLS.filter((tool) => tool.available());
    // Nothing to offer (the public): no section, rather than a list of what is not theirs.
    if (available.length === 0) return null;
    return h(
      'section',
      { class: 'panel-section tools', 'aria-labelledby': 'tools-title' },
      h('h2', { id: 'tools-title', class: 'panel-title' }, t('ug.tool.title')),
      h(
        'ul',
        { class: 'tool-list' },
        available.map((tool) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'tool-button', 'data-testid': `tool-${tool.id}`, onclick: () => void this.start(tool.id) },
              h('span', { class: 'tool-name' }, t(tool.label)),
              h('span', { class: 'tool-lead' }, t(tool.lead)),
            ),
          ),
        ),
      ),
    );
  }
}

/** The heading of a tool's panel with its close button. */
export function toolHeading(title: string, host: ToolHost): HTMLElement {
  return h(
    'div',
    { class: 'panel-title-row tool-heading' },
    h('h2', { class: 'panel-title' }, title),
    h('button', { type: 'button', class: 'link-button', 'data-testid': 'tool-close', onclick: () => host.close() }, t('common.close')),
  );
}
