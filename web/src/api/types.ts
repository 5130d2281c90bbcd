// Names for the API's types, all from schema.d.ts (generated from
// web/openapi.json by `npm run api:types`). Where the description says only
// "a geometry" or "a string", the app's narrower reading is said here
// (`GeoJsonGeometry`, `Collection`) over the generated type.

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

/** A tenancy as `GET /api/v1/{kind}/{id}` lists it in `properties.tenants`. */
export type Tenancy = Schemas['Tenancy'];

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

/** `GET /api/v1/operators` items. */
export type Operator = Schemas['Operator'];

/** `GET /api/v1/provinces` items. */
export type Province = Schemas['Province'];

/** A ward Feature's properties (`GET /api/v1/wards`). */
export type WardProperties = Omit<Schemas['WardProperties'], 'bbox'> & { bbox?: [number, number, number, number] | null };

export type WardFeature = Omit<Schemas['WardFeature'], 'geometry' | 'properties'> & {
  geometry: GeoJsonGeometry | null;
  properties: WardProperties;
};

export type History = Schemas['AssetHistory'];

/** The signed-in person (accounts, issue 4). */
export type User = Schemas['UserView'];

export type LoginResponse = Schemas['SessionView'];

/** `GET /api/v1/access`: what the caller may read (the server's policy, said once). */
export type Access = Omit<Schemas['Access'], 'collections'> & { collections: Collection[] };

/** A street as `GET /api/v1/streets` gives it. */
export type StreetFeature = Omit<Schemas['StreetFeature'], 'geometry' | 'properties'> & {
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: Omit<Schemas['StreetProperties'], 'class'> & { class: 'main' | 'secondary' | 'local' | 'alley' };
};
