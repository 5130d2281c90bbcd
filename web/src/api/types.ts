// Names for the API's types. Everything the server describes comes from
// schema.d.ts, generated from web/openapi.json (`npm run api:types`); the few
// shapes the description does not spell out yet are written here, marked so.

import type { components } from './schema';

type Schemas = components['schemas'];

/** The collections of the API, one per kind of asset (`/api/v1/{collection}`). */
export type Collection = 'towers' | 'poles' | 'ducts' | 'manholes' | 'trenches' | 'cables' | 'cabinets';

export type Status = Schemas['CoreProperties']['status'];
export type CoreProperties = Schemas['CoreProperties'];
export type Geometry = Schemas['Geometry'];
export type HistoryEntry = Schemas['Entry'];
export type FieldProblem = Schemas['FieldProblem'];
export type ErrorBody = Schemas['ErrorBody'];

/** Properties of any kind: the core plus the kind's own (by collection). */
export interface PropertiesByCollection {
  towers: Schemas['TowerProperties'];
  poles: Schemas['PoleProperties'];
  ducts: Schemas['DuctProperties'];
  manholes: Schemas['ManholeProperties'];
  trenches: Schemas['TrenchProperties'];
  cables: Schemas['CableProperties'];
  cabinets: Schemas['CabinetProperties'];
}

/**
 * A tenancy as `GET /api/v1/{kind}/{id}` lists it in `properties.tenants`.
 * Not in the OpenAPI description yet (only `TenancyInput` is).
 */
export interface Tenancy {
  id: number;
  tenant: string;
  tenant_name: string | null;
  since: string;
  until: string | null;
  active: boolean;
  capacity_used: number | null;
  contract_ref: string | null;
  monthly_fee_vnd: number | null;
  note: string | null;
}

/** Any asset as the API returns it: core properties, the kind's own, tenants. */
export type AssetProperties = CoreProperties & Record<string, unknown> & { tenants?: Tenancy[] };

export interface AssetFeature {
  type: 'Feature';
  id: number;
  geometry: GeoJsonGeometry;
  properties: AssetProperties;
}

/** The geometries assets and wards have, as plain GeoJSON. */
export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'MultiLineString'; coordinates: [number, number][][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };

export interface Link {
  rel: string;
  href: string;
  type?: string;
}

export interface AssetPage {
  type: 'FeatureCollection';
  numberReturned: number;
  links: Link[];
  features: AssetFeature[];
}

/** `GET /api/v1/operators` items (not described in the OpenAPI document yet). */
export interface Operator {
  code: string;
  legal_name: string;
  short_name: string | null;
  sector: string;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  asset_count: number;
}

/** `GET /api/v1/provinces` items (not described in the OpenAPI document yet). */
export interface Province {
  gso_code: string;
  name: string;
  unit_type: string;
  tm3_meridian: number | null;
  valid_from: string;
  valid_to: string | null;
}

/** A ward Feature's properties (`GET /api/v1/wards`). */
export interface WardProperties {
  gso_code: string | null;
  name: string;
  unit_type: string;
  province_code: string;
  province_name: string;
  tm3_meridian: number | null;
  valid_from: string;
  valid_to: string | null;
  asset_count: number;
  bbox: [number, number, number, number] | null;
}

export interface WardFeature {
  type: 'Feature';
  id: number;
  geometry: GeoJsonGeometry | null;
  properties: WardProperties;
}

export interface History {
  asset_id: number;
  entries: HistoryEntry[];
}

/** The signed-in person (accounts, issue 4). */
export interface User {
  username: string;
  display_name: string;
  /** `admin`, `reviewer`, `planner` or `operator_member`. */
  role: string;
  /** The operator of an operator member. */
  operator: string | null;
}

export interface LoginResponse {
  user: User;
  csrf_token: string;
}

/** `GET /api/v1/access`: what the caller may read (the server's policy, said once). */
export interface Access {
  signed_in: boolean;
  collections: Collection[];
  tile_layers: string[];
  history: boolean;
  permits: boolean;
  analysis: boolean;
  /** GSO codes of the wards whose undergrounding figures may be read; null for every ward. */
  undergrounding_wards: string[] | null;
  owners_in_figures: boolean;
  /** Whether tenant counts and sharing are shown (the filter and colour mode "shared"). */
  sharing: boolean;
}

/** A street as `GET /api/v1/streets` gives it. */
export interface StreetFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: { id: number; name: string; class: 'main' | 'secondary' | 'local' | 'alley'; length_m: number; ward_names: string[] };
}
