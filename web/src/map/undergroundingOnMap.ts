// What undergrounding, sharing and dig-once add to the map screen: the
// overlays' part of the layer switcher, the tools section, and the addresses
// other pages link to:
//
//   /?overlay=ug-flags,ug-works   turns overlays on
//   /?overlay=ug-flags&ward=21031 … and zooms to a ward
//   /?focus=project:1, work:2     opens a project's or civil work's popup
//   /?tool=areas&area=4           starts a tool (see tools/index.ts)

import '../styles/undergrounding.css';
import type { App } from '../app';
import { overlaysOf } from './overlays';
import { overlayPanel } from './overlays/panel';
import { MapTools } from './tools';

export interface UndergroundingOnMap {
  /** The side panel sections to show below the layer switcher. */
  panels(): HTMLElement[];
  /** Whether a tool has the side panel. */
  isActive(): boolean;
  /** Follows the address's overlay, ward, focus and tool parameters (once the map is ready). */
  follow(query: URLSearchParams): Promise<void>;
  /** Ends a running tool and closes the overlays' popup (the screen is left). */
  dispose(): void;
}

export function undergroundingOnMap(app: App, side: HTMLElement, showPanels: () => void): UndergroundingOnMap {
  const overlays = overlaysOf(app);
  const tools = new MapTools(app, side, showPanels);
  return {
    panels: () => [overlayPanel(app), tools.section()].filter((p): p is HTMLElement => p !== null),
    isActive: () => tools.isActive(),
    async follow(query) {
      for (const id of (query.get('overlay') ?? '').split(',').filter(Boolean)) overlays.setVisible(id, true);
      const code = query.get('ward');
      const ward = code ? app.reference.wards.find((w) => w.properties.gso_code === code) : undefined;
      if (ward?.properties.bbox) app.view.zoomTo(ward.properties.bbox, 16);
      const [kind, id] = (query.get('focus') ?? '').split(':');
      const wanted = Number(id);
      if (kind === 'project' && wanted > 0) await overlays.focus('ug-projects', (f) => (f.properties as { id?: number } | null)?.id === wanted);
      if (kind === 'work' && wanted > 0) await overlays.focus('ug-works', (f) => f.id === wanted);
      const tool = query.get('tool');
      if (tool) await tools.start(tool, query);
    },
    dispose() {
      tools.stop();
      overlays.closePopup();
    },
  };
}
