// One's own account: the password, and an operator's API tokens.

import { request } from './client';

/** An API token as listed (never with its secret). */
export interface TokenView {
  id: number;
  name: string;
  operator: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A new token: the secret comes with it, this once. */
export type CreatedToken = TokenView & { token: string; note?: string };

export const accountApi = {
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await request<unknown>('/api/v1/auth/password', {
      method: 'POST',
      body: { current_password: currentPassword, new_password: newPassword },
    });
  },

  async tokens(operator?: string, signal?: AbortSignal): Promise<TokenView[]> {
    const query = operator ? `?operator=${encodeURIComponent(operator)}` : '';
    return (await request<TokenView[]>(`/api/v1/tokens${query}`, { signal })).data;
  },

  async createToken(name: string, expiresInDays: number | null, operator?: string): Promise<CreatedToken> {
    const body: Record<string, unknown> = { name };
    if (expiresInDays !== null) body.expires_in_days = expiresInDays;
    if (operator) body.operator = operator;
    return (await request<CreatedToken>('/api/v1/tokens', { method: 'POST', body })).data;
  },

  async revokeToken(id: number): Promise<void> {
    await request<unknown>(`/api/v1/tokens/${id}`, { method: 'DELETE' });
  },
};
