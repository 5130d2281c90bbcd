// The yearly reports' endpoints (`/api/v1/yearly-reports`).

import { request } from './client';

export interface ReportTarget {
  indicator: string;
  name: string;
  target_value: number;
  comparison: string;
  target_year: number;
  unit: string;
  value: number | null;
  status: string;
  light: string;
  source: string;
  as_of: string | null;
}

export interface ReportFigure {
  group: string;
  name: string;
  value: number | null;
  unit: string;
  decimals: number;
  source: string;
}

export interface ReportTask {
  title: string;
  lead: string;
  due: string | null;
  status: string;
  overdue: boolean;
}

export interface ReportPart {
  contributor: string;
  submitted_on: string | null;
  text: string;
}

export interface ReportVersion {
  version: number;
  dated: string;
  finalised_at: string;
  finalised_by: string;
  sha256: string;
}

export interface ReportView {
  id: number;
  unit_id: number;
  year: number;
  number: string | null;
  difficulties: string;
  proposals: string;
  state: 'draft' | 'finalised';
  finalised_version: number | null;
  version: number;
  unit_name: string;
  facts: {
    recipient: string | null;
    due: string | null;
    targets: ReportTarget[];
    figures: ReportFigure[];
    tasks: ReportTask[];
    parts: ReportPart[];
    version: number | null;
  };
  versions: ReportVersion[];
}

export const reportsApi = {
  open: (unit: number, year: number) => request<ReportView>('/api/v1/yearly-reports', { method: 'POST', body: { unit, year } }),
  get: (id: number) => request<ReportView>(`/api/v1/yearly-reports/${id}`),
  save: (id: number, version: number, change: { difficulties: string; proposals: string; number: string | null }) =>
    request<ReportView>(`/api/v1/yearly-reports/${id}`, { method: 'PATCH', body: change, headers: { 'If-Match': `"${version}"` } }),
  finalise: (id: number) => request<ReportView>(`/api/v1/yearly-reports/${id}/finalise`, { method: 'POST', body: {} }),
  file: (id: number, ext: 'docx' | 'pdf' | 'xlsx' | 'html') => `/api/v1/yearly-reports/${id}.${ext}`,
};
